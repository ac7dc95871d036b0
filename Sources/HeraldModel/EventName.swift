/// Event names: `module.action.entity` (`forum.comment.created`) or `entity:action` (`order:created`),
/// 1–200 characters of `[A-Za-z0-9_.:-]`.
public enum EventName {
    /// Whether `name` is a Herald event name, as the native publish API (`/api/broadcast`, `/api/events`) takes it.
    public static func isValid(_ name: String) -> Bool {
        NameAlphabet.eventName.accepts(name, lengths: 1...200)
    }

    /// Whether `name` is an event name the Pusher HTTP API may publish: Herald's alphabet plus `\`, 1–200
    /// characters. Laravel broadcasts an event under its PHP class name (`App\Events\OrderShipped`) unless the
    /// event defines `broadcastAs()`, and Echo listens for exactly that name, so the backslash has to survive.
    /// Every stage accepts these names between stages; the native API keeps the narrower rule.
    public static func isValidPusherName(_ name: String) -> Bool {
        NameAlphabet.pusherEventName.accepts(name, lengths: 1...200)
    }
}

/// Channel names: 1–200 characters of `[A-Za-z0-9_.:@=,-]`, plus `#` for Pusher's `#server-to-user-`.
public enum ChannelName {
    public static func isValid(_ name: String) -> Bool {
        NameAlphabet.channelName.accepts(name, lengths: 1...200)
    }

    /// The private channels every authenticated connection joins on its own.
    public static func personal(userID: String) -> [String] { ["user.\(userID)", "private-user.\(userID)"] }
}

/// Room ids: 1–195 characters of `[A-Za-z0-9_:@=,-]`, so that `room.{roomId}` is one channel name (no `.`) that
/// the `room.{roomId}` channel rule and the Socket.IO namespace `/rooms/{roomId}` both match.
public enum RoomID {
    public static let maximumLength = 195

    public static func isValid(_ id: String) -> Bool {
        NameAlphabet.roomID.accepts(id, lengths: 1...maximumLength)
    }
}
