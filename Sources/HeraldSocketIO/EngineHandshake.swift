/// What the server announces in the Engine.IO open packet:
/// `0{"sid":"…","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`.
public struct EngineHandshake: Sendable, Hashable {
    /// The Engine.IO session id the client sends back as `sid` on every later request.
    public var sid: String
    /// Transports the client may upgrade to from the current one (`["websocket"]` on polling, `[]` on WebSocket).
    public var upgrades: [String]
    /// How often the server pings; sent in milliseconds.
    public var pingInterval: Duration
    /// How long the server waits for the pong before closing; sent in milliseconds.
    public var pingTimeout: Duration
    /// The largest polling payload the server accepts, in bytes.
    public var maxPayload: Int

    public init(sid: String, upgrades: [String], pingInterval: Duration, pingTimeout: Duration, maxPayload: Int) {
        self.sid = sid
        self.upgrades = upgrades
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxPayload = maxPayload
    }
}

extension Duration {
    /// Whole milliseconds, rounded down, as the handshake sends them.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
