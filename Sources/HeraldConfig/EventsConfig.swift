import HeraldModel

/// `events`: default priorities, coalescing and who receives which events.
public struct EventsConfig: Sendable, Equatable {
    /// Priority of events published without one; the first matching rule wins and unmatched events are
    /// medium. Default: the seed list (`PriorityTable.seed`).
    public var priorities: [PriorityTable.Rule]
    /// Which events replace each other inside a batching window. Default: view counts per thread.
    public var coalescing: [CoalescingRule]
    /// Who receives events on `audienceChannels`, by event name; the first matching rule wins and an unmatched
    /// event goes to every subscriber. Default: the seed access matrix (`AudienceRule.seed`).
    public var audiences: [AudienceRule]
    /// The channels (patterns, `*` matching any run of characters) whose events `audiences` applies to.
    /// Default: the namespace channels `orders`, `customers`, `inventory`, `payments`, `system`.
    public var audienceChannels: [String]
    /// Events published when a user of a role comes online or goes offline. Default: the seed's
    /// `customer:online` / `customer:offline` on `customers` (`OnlineEventRule.customers`).
    public var onlineEvents: [OnlineEventRule]

    public init(
        priorities: [PriorityTable.Rule] = PriorityTable.seed.rules,
        coalescing: [CoalescingRule] = [.threadViewCount], audiences: [AudienceRule] = AudienceRule.seed,
        audienceChannels: [String] = AudienceRule.seedChannels, onlineEvents: [OnlineEventRule] = [.customers]
    ) {
        self.priorities = priorities
        self.coalescing = coalescing
        self.audiences = audiences
        self.audienceChannels = audienceChannels
        self.onlineEvents = onlineEvents
    }

    /// The priorities as a lookup table, medium for names no rule matches.
    public var priorityTable: PriorityTable { PriorityTable(rules: priorities, fallback: .medium) }
}

extension EventsConfig: ConfigSection {
    static let scalarKeys: [String] = []
    static let listKeys = ["priorities", "coalescing", "audiences", "audience_channels", "online_events"]
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
        audiences = reader.list(fields, "audiences", default: audiences) { reader, node, path in
            AudienceRule.read(node, at: path, with: &reader)
        }
        audienceChannels = reader.stringList(fields, "audience_channels", default: audienceChannels)
        onlineEvents = reader.list(fields, "online_events", default: onlineEvents) { reader, node, path in
            OnlineEventRule.read(node, at: path, with: &reader)
        }
    }
}
