/// `limits`: rate and size limits, with the seed specifications' defaults. 0 means unlimited.
public struct LimitsConfig: Sendable, Equatable {
    /// Events a client may send per minute, per connection and per user across connections. Default 100.
    public var clientEventsPerMinute: Int
    /// Events published to one channel per minute. Default 1,000.
    public var channelEventsPerMinute: Int
    /// Events published in total per minute. Default 10,000.
    public var globalEventsPerMinute: Int
    /// Room events an app may publish per second to one room. Default 10.
    public var appEventsPerSecondPerRoom: Int
    /// Events an app may publish per minute. Default 600.
    public var appEventsPerMinute: Int
    /// Simultaneous connections per user. Default 5.
    public var connectionsPerUser: Int
    /// Simultaneous connections per edge instance. Default 10,000.
    public var connectionsPerEdge: Int
    /// Connection attempts per client IP per minute. Default 10.
    public var connectionAttemptsPerIPPerMinute: Int
    /// Largest message a client may send, in bytes. Default 1 MiB.
    public var maxMessageBytes: Int

    public init(
        clientEventsPerMinute: Int = 100, channelEventsPerMinute: Int = 1000, globalEventsPerMinute: Int = 10_000,
        appEventsPerSecondPerRoom: Int = 10, appEventsPerMinute: Int = 600, connectionsPerUser: Int = 5,
        connectionsPerEdge: Int = 10_000, connectionAttemptsPerIPPerMinute: Int = 10, maxMessageBytes: Int = 1_048_576
    ) {
        self.clientEventsPerMinute = clientEventsPerMinute
        self.channelEventsPerMinute = channelEventsPerMinute
        self.globalEventsPerMinute = globalEventsPerMinute
        self.appEventsPerSecondPerRoom = appEventsPerSecondPerRoom
        self.appEventsPerMinute = appEventsPerMinute
        self.connectionsPerUser = connectionsPerUser
        self.connectionsPerEdge = connectionsPerEdge
        self.connectionAttemptsPerIPPerMinute = connectionAttemptsPerIPPerMinute
        self.maxMessageBytes = maxMessageBytes
    }
}

extension LimitsConfig: ConfigSection {
    static let scalarKeys = [
        "client_events_per_minute", "channel_events_per_minute", "global_events_per_minute",
        "app_events_per_second_per_room", "app_events_per_minute", "connections_per_user", "connections_per_edge",
        "connection_attempts_per_ip_per_minute", "max_message_bytes",
    ]

    init(reading fields: ConfigFields, with reader: inout ConfigReader) {
        self.init()
        func limit(_ key: String, _ value: Int) -> Int { reader.integer(fields, key, default: value, atLeast: 0) }
        clientEventsPerMinute = limit("client_events_per_minute", clientEventsPerMinute)
        channelEventsPerMinute = limit("channel_events_per_minute", channelEventsPerMinute)
        globalEventsPerMinute = limit("global_events_per_minute", globalEventsPerMinute)
        appEventsPerSecondPerRoom = limit("app_events_per_second_per_room", appEventsPerSecondPerRoom)
        appEventsPerMinute = limit("app_events_per_minute", appEventsPerMinute)
        connectionsPerUser = limit("connections_per_user", connectionsPerUser)
        connectionsPerEdge = limit("connections_per_edge", connectionsPerEdge)
        connectionAttemptsPerIPPerMinute = limit(
            "connection_attempts_per_ip_per_minute", connectionAttemptsPerIPPerMinute)
        maxMessageBytes = limit("max_message_bytes", maxMessageBytes)
    }
}
