import HeraldModel

/// Everything a subscription decision may look at: who asks, for which channel, from which connection, and
/// the channel a verified subscription token presented with the subscribe grants.
public struct SubscriptionQuestion: Sendable, Equatable {
    public var principal: Principal
    public var channel: String
    /// The edge's id for the connection, passed to the hook as `socket_id`.
    public var socketID: String?
    /// The `channel` claim of a verified subscription token presented with this subscribe, if any.
    public var tokenChannel: String?

    public init(principal: Principal, channel: String, socketID: String? = nil, tokenChannel: String? = nil) {
        self.principal = principal
        self.channel = channel
        self.socketID = socketID
        self.tokenChannel = tokenChannel
    }

    /// A principal without a user id: a Pusher connection that has not signed in. Only `anyone` admits it.
    var isAnonymous: Bool { principal.userID.isEmpty }
}
