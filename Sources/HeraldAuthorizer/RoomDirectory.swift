/// What the authorizer asks the backend before an app's room event is published: does the room exist? The
/// question goes to the same hook as subscription questions (`auth.hook`), as
/// `{"user":null,"roles":[],"channel":"room.<roomId>","socket_id":null,"app":"<appId>"}`: a backend that reads
/// the four subscription keys unconditionally can tell a room check by its `null` user.
public struct RoomQuestion: Sendable, Hashable, Encodable {
    /// The app publishing to the room.
    public var app: String
    /// The room id; the question names its channel, `room.<room>`.
    public var room: String

    public init(app: String, room: String) {
        self.app = app
        self.room = room
    }

    /// The room's channel.
    public var channel: String { "room.\(room)" }

    enum CodingKeys: String, CodingKey { case user, roles, channel, socketID = "socket_id", app }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeNil(forKey: .user)
        try container.encode([String](), forKey: .roles)
        try container.encode(channel, forKey: .channel)
        try container.encodeNil(forKey: .socketID)
        try container.encode(app, forKey: .app)
    }
}

/// The backend's answer to a room question.
public enum RoomAnswer: Sendable, Equatable {
    /// A 2xx answer: the room exists.
    case exists
    /// A 404 answer: the backend knows no such room.
    case notFound
    /// Anything else — another status, a timeout, a refused connection — with why, written for the operator.
    case unavailable(String)

    /// What an HTTP status says about the room.
    public init(status: Int) {
        switch status {
        case 200..<300: self = .exists
        case 404: self = .notFound
        default: self = .unavailable("the auth hook answered a room check with HTTP \(status)")
        }
    }

    /// Whether the answer may be reused for `auth.hook.cache_seconds`: only what the backend said about the room,
    /// never a failure to ask, so a backend that comes back is asked again at once.
    var isCacheable: Bool {
        if case .unavailable = self { return false }
        return true
    }
}

/// Asks the backend whether a room exists (`auth.hook`).
public protocol RoomDirectory: Sendable {
    func check(_ question: RoomQuestion) async -> RoomAnswer
}
