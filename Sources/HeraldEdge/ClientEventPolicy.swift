import HeraldConfig
import HeraldModel

/// `channels.client_events`, compiled: which events clients may send on which channels. The first rule whose
/// channel pattern matches decides, and the event must match one of its event patterns; a channel no rule
/// matches takes no client events.
public struct ClientEventPolicy: Sendable, Hashable {
    struct Rule: Sendable, Hashable {
        var channel: GlobPattern
        var events: [GlobPattern]
    }

    let rules: [Rule]

    public init(_ rules: [ClientEventRule]) {
        self.rules = rules.map { Rule(channel: GlobPattern($0.channel), events: $0.events.map(GlobPattern.init)) }
    }

    /// Whether a client may send `event` on `channel`.
    public func allows(_ event: String, on channel: String) -> Bool {
        guard let rule = rules.first(where: { $0.channel.matches(channel) }) else { return false }
        return rule.events.contains { $0.matches(event) }
    }

    /// Why `event` on `channel` was refused, in words that say what to change.
    public func refusal(_ event: String, on channel: String) -> String {
        guard let rule = rules.first(where: { $0.channel.matches(channel) }) else {
            return "clients may not send events on \(channel): no channels.client_events rule matches it"
        }
        let allowed = rule.events.map(\.text).joined(separator: ", ")
        return "clients may send only \(allowed) on \(channel) (channels.client_events), not \"\(event)\""
    }
}
