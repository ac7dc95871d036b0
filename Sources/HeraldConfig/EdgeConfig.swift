/// `edge`: the WebSocket edge (`herald-ws-edge`), where clients connect.
public struct EdgeConfig: Sendable, Equatable {
    /// Address bound when the edge is not socket-activated. Default `0.0.0.0:6001`.
    public var listen: ListenAddress
    /// Origins allowed to open a WebSocket; `*` allows any, and a `*` inside an entry matches any run of
    /// characters (`https://*.example.com`). Default `["*"]`.
    public var allowedOrigins: [String]
    /// Seconds between heartbeats sent to each client. Default 25.
    public var heartbeatIntervalSeconds: Int
    /// Seconds to wait for a heartbeat answer before closing the connection. Default 20.
    public var heartbeatTimeoutSeconds: Int
    /// Bytes that may wait unsent for one connection before it is dropped as a slow consumer. Default 4 MiB.
    public var maxPendingBytesPerConnection: Int
    /// Milliseconds a presence member whose last connection went stays a member before it leaves; a connection
    /// coming back within it produces neither a leave nor a second join. Default 3000. Kept by the batcher, which
    /// holds presence for every edge.
    public var presenceGraceMilliseconds: Int

    public init(
        listen: ListenAddress = ListenAddress(host: "0.0.0.0", port: 6001), allowedOrigins: [String] = ["*"],
        heartbeatIntervalSeconds: Int = 25, heartbeatTimeoutSeconds: Int = 20,
        maxPendingBytesPerConnection: Int = 4 * 1024 * 1024, presenceGraceMilliseconds: Int = 3000
    ) {
        self.listen = listen
        self.allowedOrigins = allowedOrigins
        self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
        self.heartbeatTimeoutSeconds = heartbeatTimeoutSeconds
        self.maxPendingBytesPerConnection = maxPendingBytesPerConnection
        self.presenceGraceMilliseconds = presenceGraceMilliseconds
    }

    public var heartbeatInterval: Duration { .seconds(heartbeatIntervalSeconds) }
    public var heartbeatTimeout: Duration { .seconds(heartbeatTimeoutSeconds) }
}

extension EdgeConfig: ConfigSection {
    static let scalarKeys = [
        "listen", "heartbeat_interval_seconds", "heartbeat_timeout_seconds", "max_pending_bytes_per_connection",
        "presence_grace_ms",
    ]
    static let listKeys = ["allowed_origins"]

    init(reading fields: ConfigFields, with reader: inout ConfigReader) {
        self.init()
        listen = reader.listenAddress(fields, "listen", default: listen)
        allowedOrigins = reader.stringList(fields, "allowed_origins", default: allowedOrigins)
        heartbeatIntervalSeconds = reader.integer(
            fields, "heartbeat_interval_seconds", default: heartbeatIntervalSeconds, atLeast: 1)
        heartbeatTimeoutSeconds = reader.integer(
            fields, "heartbeat_timeout_seconds", default: heartbeatTimeoutSeconds, atLeast: 1)
        maxPendingBytesPerConnection = reader.integer(
            fields, "max_pending_bytes_per_connection", default: maxPendingBytesPerConnection, atLeast: 1)
        presenceGraceMilliseconds = reader.integer(
            fields, "presence_grace_ms", default: presenceGraceMilliseconds, atLeast: 0)
    }
}
