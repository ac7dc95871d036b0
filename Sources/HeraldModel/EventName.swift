/// Event names: `module.action.entity` (`forum.comment.created`) or `entity:action` (`order:created`),
/// 1–200 characters of `[A-Za-z0-9_.:-]`.
public enum EventName {
    public static func isValid(_ name: String) -> Bool {
        (1...200).contains(name.utf8.count)
            && name.utf8.allSatisfy { $0.isASCIIAlphanumeric || "_.:-".utf8.contains($0) }
    }
}

/// Channel names: 1–200 characters of `[A-Za-z0-9_.:@=,-]`, plus `#` for Pusher's `#server-to-user-`.
public enum ChannelName {
    public static func isValid(_ name: String) -> Bool {
        (1...200).contains(name.utf8.count)
            && name.utf8.allSatisfy { $0.isASCIIAlphanumeric || "_.:@=,-#".utf8.contains($0) }
    }

    /// The private channels every authenticated connection joins on its own.
    public static func personal(userID: String) -> [String] { ["user.\(userID)", "private-user.\(userID)"] }
}
