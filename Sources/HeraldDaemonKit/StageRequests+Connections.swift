import HeraldModel

extension StageRequests {
    /// `connections-closed {connections}` (edge → authorizer): connections counted by `authorize-connect` (it
    /// carried their id) that have ended. Answered with `{}`.
    public static let connectionsClosed = "connections-closed"
    /// `connections-restated {connections}` (edge → authorizer): after every reconnect, the edge's open counted
    /// connections, which the authorizer counts again for `limits.connections_per_user` (even over the limit:
    /// they are open already). Answered with `{}`.
    public static let connectionsRestated = "connections-restated"

    /// One authenticated connection of an edge, as `limits.connections_per_user` counts it.
    public struct CountedConnection: Codable, Sendable, Hashable {
        public var connection: String
        public var user: String
        public init(connection: String, user: String) {
            self.connection = connection
            self.user = user
        }
    }

    public struct ConnectionsClosed: Codable, Sendable {
        public var connections: [String]
        public init(connections: [String]) { self.connections = connections }
    }

    public struct ConnectionsRestated: Codable, Sendable {
        public var connections: [CountedConnection]
        public init(connections: [CountedConnection]) { self.connections = connections }
    }

    /// The empty answer.
    public struct Done: Codable, Sendable {
        public init() {}
    }
}
