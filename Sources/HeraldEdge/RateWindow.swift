import NIOCore

/// A token bucket: `limit` events per `period`, refilled continuously, so a client may burst up to the limit
/// and then keeps to the average. Pure; the time comes in as a value. A limit of 0 admits everything.
public struct RateWindow: Sendable, Hashable {
    public let limit: Int
    public let period: TimeAmount
    private var tokens: Double
    private var updated: NIODeadline

    public init(limit: Int, per period: TimeAmount = .minutes(1), now: NIODeadline) {
        self.limit = limit
        self.period = period
        self.tokens = Double(limit)
        self.updated = now
    }

    /// Takes one token. Returns nil when admitted, or how long until the next token otherwise.
    public mutating func admit(now: NIODeadline) -> TimeAmount? {
        guard limit > 0 else { return nil }
        let perNanosecond = Double(limit) / Double(period.nanoseconds)
        if now > updated {
            tokens = min(Double(limit), tokens + Double((now - updated).nanoseconds) * perNanosecond)
            updated = now
        }
        guard tokens < 1 else {
            tokens -= 1
            return nil
        }
        return .nanoseconds(Int64(((1 - tokens) / perNanosecond).rounded(.up)))
    }
}
