import HeraldEdge

/// The Pusher protocol's error codes (sent in `pusher:error` and as the WebSocket close code), grouped as the
/// protocol groups them: 4000–4099 do not reconnect unchanged, 4100–4199 reconnect after backing off,
/// 4200–4299 reconnect at once, 4300–4399 other errors.
public enum PusherCloseCode {
    /// No app has this key.
    public static let applicationDoesNotExist: UInt16 = 4001
    /// The edge holds its maximum of connections (`limits.connections_per_edge`).
    public static let overConnectionQuota: UInt16 = 4004
    /// The `protocol` query parameter is not a number.
    public static let invalidVersionFormat: UInt16 = 4006
    /// Protocol versions 5–7 are spoken.
    public static let unsupportedProtocolVersion: UInt16 = 4007
    /// The client gave no `protocol` query parameter.
    public static let noProtocolVersion: UInt16 = 4008
    /// A `pusher:signin` whose signature is wrong.
    public static let unauthorized: UInt16 = 4009
    /// Reconnect after backing off: the client read too slowly.
    public static let overCapacity: UInt16 = 4100
    /// Reconnect now: the edge is shutting down.
    public static let genericReconnect: UInt16 = 4200
    /// Reconnect now: no pong arrived in time.
    public static let pongNotReceived: UInt16 = 4201
    /// More client events than `limits.client_events_per_minute`.
    public static let clientEventRateLimit: UInt16 = 4301

    /// The Pusher code for a reason the edge ends any connection.
    static func code(for close: CloseCode) -> UInt16 {
        switch close {
        case .goingAway, .tryAgainLater: genericReconnect
        case .heartbeatTimeout: pongNotReceived
        case .slowConsumer: overCapacity
        case .authenticationFailed, .terminated: unauthorized
        default: close.rawValue
        }
    }
}
