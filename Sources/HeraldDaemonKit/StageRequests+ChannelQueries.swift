extension StageRequests {
    /// `channels-query` (ingress → authorizer → batcher → every edge): which channels have subscribers, how
    /// many, and which users are present. The batcher asks every connected edge and merges their answers.
    public static let channelsQuery = "channels-query"
    /// `terminate-user` (ingress → authorizer → batcher → every edge): close every connection of one user.
    public static let terminateUser = "terminate-user"

    /// The requests the authorizer passes on to the batcher unchanged, and the batcher to every edge.
    public static let answeredByEdges: Set<String> = [channelsQuery, terminateUser]

    /// `channels-query {channel?, prefix?, users?}` → `ChannelStates`. With `channel`, only that channel; with
    /// `prefix`, the channels whose name starts with it; with neither, every occupied channel. `users` asks for
    /// the ids of the users present on presence channels.
    public struct ChannelsQuery: Codable, Sendable, Hashable {
        public var channel: String?
        public var prefix: String?
        public var users: Bool?

        public init(channel: String? = nil, prefix: String? = nil, users: Bool? = nil) {
            self.channel = channel
            self.prefix = prefix
            self.users = users
        }

        /// Whether `name` is one of the channels asked about.
        public func covers(_ name: String) -> Bool {
            if let channel, channel != name { return false }
            if let prefix, !name.hasPrefix(prefix) { return false }
            return true
        }
    }

    /// One channel as one edge (or, merged, all edges) sees it.
    public struct ChannelState: Codable, Sendable, Hashable {
        /// Subscriptions (one per connection and channel).
        public var subscriptionCount: Int
        /// The ids of the users present, sorted; only for presence channels and only when asked for.
        public var users: [String]?

        public init(subscriptionCount: Int, users: [String]? = nil) {
            self.subscriptionCount = subscriptionCount
            self.users = users
        }

        enum CodingKeys: String, CodingKey {
            case subscriptionCount = "subscription_count", users
        }
    }

    /// The answer to `channels-query`: the occupied channels asked about, by name. `edges` is how many edges
    /// answered (set by the batcher; an edge that did not answer in time is left out).
    public struct ChannelStates: Codable, Sendable, Hashable {
        public var channels: [String: ChannelState]
        public var edges: Int?

        public init(channels: [String: ChannelState] = [:], edges: Int? = nil) {
            self.channels = channels
            self.edges = edges
        }
    }

    /// `terminate-user {user_id}` → `TerminatedConnections`.
    public struct TerminateUser: Codable, Sendable, Hashable {
        public var userID: String

        public init(userID: String) { self.userID = userID }

        enum CodingKeys: String, CodingKey {
            case userID = "user_id"
        }
    }

    /// How many connections were closed (summed over the edges that answered), and how many edges answered.
    public struct TerminatedConnections: Codable, Sendable, Hashable {
        public var connections: Int
        public var edges: Int?

        public init(connections: Int, edges: Int? = nil) {
            self.connections = connections
            self.edges = edges
        }
    }
}
