/// How soon an event must go out: high at once, medium and low in batching windows.
public enum Priority: String, Sendable, CaseIterable, Codable {
    case high, medium, low
}

/// Maps event names to priorities when a publisher does not name one. First matching rule wins.
public struct PriorityTable: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var pattern: GlobPattern
        public var priority: Priority
        public init(_ pattern: String, _ priority: Priority) {
            self.pattern = GlobPattern(pattern)
            self.priority = priority
        }
    }

    public var rules: [Rule]
    public var fallback: Priority

    public init(rules: [Rule], fallback: Priority = .medium) {
        self.rules = rules
        self.fallback = fallback
    }

    /// The seed list from the event specifications.
    public static let seed = PriorityTable(rules: [
        Rule("messaging.*", .high), Rule("*.status_changed", .high), Rule("notification.security.alert", .high),
        Rule("user.status.online", .high), Rule("*typing*", .high),
        Rule("*.view_count_updated", .low), Rule("user.activity.feed_updated", .low), Rule("*.stats_updated", .low),
    ])

    public func priority(for eventName: String) -> Priority {
        rules.first { $0.pattern.matches(eventName) }?.priority ?? fallback
    }
}
