import NIOCore

/// A member of a presence channel: a user, counted once however many connections (tabs, devices, edges) it has
/// there.
public struct PresenceMember: Sendable, Hashable {
    /// The user id, compared as a string.
    public var userID: String
    /// What other members are told about the user: the raw bytes of a JSON value (Pusher's `user_info`, the
    /// token's `name`, the authorization hook's `info`), or nil.
    public var info: ByteBuffer?
    /// When the user's first connection joined, in milliseconds since the epoch, once the batcher has counted it.
    public var since: Int64?

    public init(userID: String, info: ByteBuffer? = nil, since: Int64? = nil) {
        self.userID = userID
        self.info = info
        self.since = since
    }
}

/// A user's arrival in or departure from a presence channel, told to the channel's other subscribers.
public enum PresenceChange: Sendable, Hashable {
    /// The user's first connection joined.
    case added(PresenceMember)
    /// The user's last connection left (after the grace).
    case removed(userID: String)
}
