import HeraldConfig
import HeraldModel
import NIOCore

/// The parts of the configuration the edge reads for each new connection. Replaced as a whole on reload; live
/// connections keep the settings they started with.
public struct EdgeSettings: Sendable {
    public var timing: SessionCore.Timing
    /// Largest inbound message, after reassembling fragments (`limits.max_message_bytes`; 0 = no limit).
    public var maxMessageBytes: Int
    /// Unsent bytes after which a connection is closed as a slow consumer.
    public var maxPendingBytes: Int
    /// `limits.connections_per_edge`; 0 = no limit.
    public var connectionsPerEdge: Int
    /// `limits.connection_attempts_per_ip_per_minute`; 0 = no limit.
    public var connectionAttemptsPerIP: Int
    public var origins: OriginPolicy
    /// The Pusher-protocol apps (`apps`), found by key.
    public var apps: [AppConfig]
    /// `limits.client_events_per_minute` per connection; 0 = no limit.
    public var clientEventsPerMinute: Int
    /// Default priorities of client events' names (`events.priorities`).
    public var priorities: PriorityTable
    /// Which client events each channel takes (`channels.client_events`).
    public var clientEvents: ClientEventPolicy

    public init(_ configuration: HeraldConfiguration) {
        let edge = configuration.edge
        timing = SessionCore.Timing(
            heartbeatInterval: .seconds(Int64(edge.heartbeatIntervalSeconds)),
            heartbeatTimeout: .seconds(Int64(edge.heartbeatTimeoutSeconds)))
        let limit = configuration.limits.maxMessageBytes
        maxMessageBytes = limit > 0 ? min(limit, Int(UInt32.max)) : Int(UInt32.max)
        maxPendingBytes = max(edge.maxPendingBytesPerConnection, 1024)
        connectionsPerEdge = configuration.limits.connectionsPerEdge
        connectionAttemptsPerIP = configuration.limits.connectionAttemptsPerIPPerMinute
        origins = OriginPolicy(allowed: edge.allowedOrigins)
        apps = configuration.apps
        clientEventsPerMinute = configuration.limits.clientEventsPerMinute
        priorities = configuration.priorityTable
        clientEvents = ClientEventPolicy(configuration.channels.clientEvents)
    }
}
