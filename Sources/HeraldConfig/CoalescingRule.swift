import HeraldModel

/// One entry of `events.coalescing`: events that replace each other inside one batching window.
///
/// Two events coalesce when both names match `event` and their `data` carries the same value under `key`; only
/// the later one is delivered.
public struct CoalescingRule: Sendable, Equatable {
    /// Event name, or a pattern where `*` matches any run of characters.
    public var event: String
    /// The field of the event's `data` whose value identifies what is being updated (`thread_id`).
    public var key: String

    public init(event: String, key: String) {
        self.event = event
        self.key = key
    }

    public var pattern: GlobPattern { GlobPattern(event) }

    /// The seed rule: view counts of one thread.
    public static let threadViewCount = CoalescingRule(event: "forum.thread.view_count_updated", key: "thread_id")
}

extension CoalescingRule {
    static let keys = ["event", "key"]

    static func read(_ node: ConfigNode, at path: String, with reader: inout ConfigReader) -> CoalescingRule? {
        guard let fields = reader.fields(node, at: path, known: keys) else { return nil }
        let event = reader.requiredString(fields, "event")
        let key = reader.requiredString(fields, "key")
        guard let event, let key else { return nil }
        return CoalescingRule(event: event, key: key)
    }
}
