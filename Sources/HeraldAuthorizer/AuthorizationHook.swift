/// The backend's answer to one subscription question.
public enum HookAnswer: Sendable, Equatable {
    /// `200 {"allow": true}`; `info` is the answer's `info` object as JSON text, when it has one.
    case allow(info: String?)
    /// Anything else, with why, written for the operator.
    case deny(String)
}

/// What the authorizer asks the backend: the JSON body `{"user","roles","channel","socket_id"}`.
public struct HookQuestion: Sendable, Hashable, Encodable {
    public var user: String
    public var roles: [String]
    public var channel: String
    public var socketID: String?

    public init(user: String, roles: [String], channel: String, socketID: String?) {
        self.user = user
        self.roles = roles
        self.channel = channel
        self.socketID = socketID
    }

    enum CodingKeys: String, CodingKey { case user, roles, channel, socketID = "socket_id" }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user, forKey: .user)
        try container.encode(roles, forKey: .roles)
        try container.encode(channel, forKey: .channel)
        // Always present, null when unknown, so backends can read the four keys unconditionally.
        try container.encode(socketID, forKey: .socketID)
    }

    /// What answers are cached and coalesced by: the same user with the same roles asking for the same
    /// channel gets the same answer whichever connection asks.
    var cacheKey: HookCacheKey { HookCacheKey(user: user, roles: roles, channel: channel) }
}

/// The identity of a cached hook answer.
struct HookCacheKey: Hashable, Sendable {
    let user: String
    let roles: [String]
    let channel: String
}

/// Asks the backend whether a user may subscribe to a channel (`auth.hook`).
public protocol AuthorizationHook: Sendable {
    func ask(_ question: HookQuestion) async -> HookAnswer
}
