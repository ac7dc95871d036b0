import NIOCore

/// A member of a presence channel: a user, counted once however many connections it has there.
public struct PresenceMember: Sendable, Hashable {
    /// The user id, compared as a string.
    public var userID: String
    /// What other members are told about the user: the raw bytes of a JSON value (Pusher's `user_info`), or
    /// nil.
    public var info: ByteBuffer?

    public init(userID: String, info: ByteBuffer? = nil) {
        self.userID = userID
        self.info = info
    }
}

/// A user's arrival in or departure from a presence channel, told to the channel's other subscribers.
public enum PresenceChange: Sendable, Hashable {
    /// The user's first connection joined.
    case added(PresenceMember)
    /// The user's last connection left.
    case removed(userID: String)
}
