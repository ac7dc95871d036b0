/// Event names: `module.action.entity` (`forum.comment.created`) or `entity:action` (`order:created`),
/// 1–200 characters of `[A-Za-z0-9_.:-]`.
public enum EventName {
    public static func isValid(_ name: String) -> Bool {
        NameAlphabet.eventName.accepts(name, lengths: 1...200)
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
