import NIOCore

/// When a connection's token runs out, on the session's own clock: a notice shortly before `exp`, then the end.
///
/// The notice comes `noticeLead` (60 s) before `exp`, or halfway through the remaining life when that is
/// shorter, so a 10-second token hears it at 5 s. A token already expired when the lifetime starts ends at once.
struct TokenLifetime: Sendable, Hashable {
    static let noticeLead: TimeAmount = .seconds(60)

    enum Step: Sendable, Hashable {
        /// Tell the client its token expires at `expiresAt` (seconds since the epoch).
        case expiring(expiresAt: Int64)
        /// The token has expired: end the connection.
        case expired
    }

    /// `exp`, seconds since the epoch, as the token said.
    let expiresAt: Int64
    let expiry: NIODeadline
    let notice: NIODeadline
    private(set) var noticed = false

    /// The lifetime of a token expiring at `expiresAt` (seconds since the epoch), when it is `wallMilliseconds`
    /// by the wall clock and `now` by the session's clock.
    init(expiresAt: Int64, now: NIODeadline, wallMilliseconds: Int64) {
        self.expiresAt = expiresAt
        let remaining = TimeAmount.milliseconds(max(0, expiresAt * 1000 - wallMilliseconds))
        expiry = now + remaining
        notice = expiry - min(Self.noticeLead, .nanoseconds(remaining.nanoseconds / 2))
    }

    /// When `step(now:)` must next run.
    var nextWakeup: NIODeadline { noticed ? expiry : notice }

    /// What is due at `now`, if anything.
    mutating func step(now: NIODeadline) -> Step? {
        if now >= expiry { return .expired }
        if !noticed, now >= notice {
            noticed = true
            return .expiring(expiresAt: expiresAt)
        }
        return nil
    }
}
