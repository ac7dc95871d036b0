import HeraldConfig
import HeraldModel

/// `events.coalescing` prepared for the delivery windows: tells the coalescing key of an event, if it has one.
///
/// An event with a `collapse_key` is keyed by it alone. One without is keyed by the first rule whose pattern
/// matches its name and whose key its `data` object carries; data that is not an object, or carries none of
/// the keys, leaves the event without a key, and it never coalesces.
struct CoalescingPolicy: Sendable {
    /// One rule with its pattern compiled once.
    private struct Rule: Sendable {
        var pattern: GlobPattern
        var key: String
    }

    private let rules: [Rule]

    init(_ rules: [CoalescingRule]) {
        self.rules = rules.map { Rule(pattern: $0.pattern, key: $0.key) }
    }

    func key(for item: EventOnChannel) -> CoalescingKey? {
        if let collapseKey = item.event.collapseKey {
            return CoalescingKey(channel: item.channel, subject: .collapseKey(collapseKey))
        }
        for (index, rule) in rules.enumerated() where rule.pattern.matches(item.event.name) {
            if let value = item.event.dataMember(rule.key) {
                return CoalescingKey(channel: item.channel, subject: .rule(index, value: value))
            }
        }
        return nil
    }
}
