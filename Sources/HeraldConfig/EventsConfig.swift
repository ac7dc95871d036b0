import HeraldModel

/// `events`: default priorities and coalescing.
public struct EventsConfig: Sendable, Equatable {
    /// Priority of events published without one; the first matching rule wins and unmatched events are
    /// medium. Default: the seed list (`PriorityTable.seed`).
    public var priorities: [PriorityTable.Rule]
    /// Which events replace each other inside a batching window. Default: view counts per thread.
    public var coalescing: [CoalescingRule]

    public init(
        priorities: [PriorityTable.Rule] = PriorityTable.seed.rules,
        coalescing: [CoalescingRule] = [.threadViewCount]
    ) {
        self.priorities = priorities
        self.coalescing = coalescing
    }

    /// The priorities as a lookup table, medium for names no rule matches.
    public var priorityTable: PriorityTable { PriorityTable(rules: priorities, fallback: .medium) }
}

extension EventsConfig: ConfigSection {
    static let scalarKeys: [String] = []
    static let listKeys = ["priorities", "coalescing"]
    static let priorityKeys = ["pattern", "priority"]

    init(reading fields: ConfigFields, with reader: inout ConfigReader) {
        self.init()
        priorities = reader.list(fields, "priorities", default: priorities) { reader, node, path in
            guard let rule = reader.fields(node, at: path, known: Self.priorityKeys) else { return nil }
            let pattern = reader.requiredString(rule, "pattern")
            let priority: Priority?
            if let node = rule["priority"] {
                priority = reader.choice(node, at: rule.path("priority"))
            } else {
                reader.report(rule.path("priority"), "is required (high, medium or low)", line: rule.line)
                priority = nil
            }
            guard let pattern, let priority else { return nil }
            return PriorityTable.Rule(pattern, priority)
        }
        coalescing = reader.list(fields, "coalescing", default: coalescing) { reader, node, path in
            CoalescingRule.read(node, at: path, with: &reader)
        }
    }
}
