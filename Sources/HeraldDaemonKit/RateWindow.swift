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
        if let wait = wait(now: now) { return wait }
        take()
        return nil
    }

    /// Refills for the time passed and says how long until a token is there: nil when one is there now. Takes
    /// nothing, so a caller checking several windows can take from all of them only when all admit.
    public mutating func wait(now: NIODeadline) -> TimeAmount? {
        guard limit > 0 else { return nil }
        if now > updated {
            tokens = min(Double(limit), tokens + Double((now - updated).nanoseconds) * perNanosecond)
            updated = now
        }
        guard tokens < 1 else { return nil }
        return .nanoseconds(Int64(((1 - tokens) / perNanosecond).rounded(.up)))
    }

    /// Takes the token `wait(now:)` found.
    public mutating func take() {
        guard limit > 0 else { return }
        tokens -= 1
    }

    /// Whether the bucket is full at `now`, so forgetting it changes nothing.
    public func isFull(now: NIODeadline) -> Bool {
        guard limit > 0, now > updated else { return limit <= 0 || tokens >= Double(limit) }
        return tokens + Double((now - updated).nanoseconds) * perNanosecond >= Double(limit)
    }

    private var perNanosecond: Double { Double(limit) / Double(period.nanoseconds) }
}

extension TimeAmount {
    /// Whole seconds, rounded up and at least 1: what `Retry-After` and `retry_after` carry.
    public var retryAfterSeconds: Int {
        max(1, Int((nanoseconds + 999_999_999) / 1_000_000_000))
    }
}
