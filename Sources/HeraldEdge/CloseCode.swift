/// WebSocket close codes the edge sends (docs/protocol.md lists them for client authors). 4000–4999 are
/// Herald's own, chosen so a client can tell "fix your token" from "reconnect" from "read faster".
public struct CloseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The client closed, or the edge answers its close.
    public static let normal = CloseCode(rawValue: 1000)
    /// The edge is shutting down or draining; reconnect (to another instance).
    public static let goingAway = CloseCode(rawValue: 1001)
    /// The client broke the WebSocket framing rules.
    public static let protocolError = CloseCode(rawValue: 1002)
    /// A message over `limits.max_message_bytes`.
    public static let messageTooBig = CloseCode(rawValue: 1009)
    /// The authorizer could not be reached to check the token; reconnect later.
    public static let tryAgainLater = CloseCode(rawValue: 1013)
    /// No token, a bad token or an expired token in the first message; get a new token before reconnecting.
    public static let authenticationFailed = CloseCode(rawValue: 4001)
    /// The application closed every connection of this user (`terminate_connections` on the HTTP API); do not
    /// reconnect without asking the application first.
    public static let terminated = CloseCode(rawValue: 4003)
    /// Nothing (not even a pong) arrived for `heartbeat_interval_seconds + heartbeat_timeout_seconds`.
    public static let heartbeatTimeout = CloseCode(rawValue: 4008)
    /// More than `edge.max_pending_bytes_per_connection` waited unsent: the client reads too slowly. It lost
    /// low-priority and coalescible events first; reconnecting recovers what it missed from history.
    public static let slowConsumer = CloseCode(rawValue: 4009)

    /// The reason sent with `slowConsumer`.
    public static let slowConsumerReason =
        "slow consumer: too many unsent bytes; reconnect to recover the missed events from history"

    public var description: String { String(rawValue) }
}
