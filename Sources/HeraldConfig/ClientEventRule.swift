/// One entry of `channels.client_events`: which events clients may send on the channels a pattern matches.
///
/// The first rule whose `channel` pattern matches decides; the event's name must match one of its `events`.
/// A channel no rule matches takes no client events.
public struct ClientEventRule: Sendable, Equatable {
    /// Channel name pattern: `*` matches any run of characters.
    public var channel: String
    /// Event name patterns (`*` matches any run of characters); any one admits.
    public var events: [String]

    public init(channel: String, events: [String]) {
        self.channel = channel
        self.events = events
    }

    /// The default rules: typing on forum threads and conversations, Pusher `client-` events on private and
    /// presence channels.
    public static let defaults = [
        ClientEventRule(channel: "thread.*", events: ["forum.typing.*"]),
        ClientEventRule(channel: "conversation.*", events: ["messaging.typing.*"]),
        ClientEventRule(channel: "presence-*", events: ["client-*"]),
        ClientEventRule(channel: "private-*", events: ["client-*"]),
    ]
}

extension ClientEventRule {
    static let keys = ["channel", "events"]

    static func read(_ node: ConfigNode, at path: String, with reader: inout ConfigReader) -> ClientEventRule? {
        guard let fields = reader.fields(node, at: path, known: keys) else { return nil }
        let channel = reader.requiredString(fields, "channel")
        if let channel, !isValidPattern(channel, extra: "@=,#") {
            reader.report(
                fields.path("channel"), "must be channel name characters with \"*\" wildcards (got \"\(channel)\")",
                node: fields["channel"])
        }
        let events = reader.stringList(fields, "events", default: [])
        if events.isEmpty {
            reader.report(
                fields.path("events"), "must list at least one event name pattern, such as \"forum.typing.*\"",
                line: fields["events"]?.line ?? fields.line)
        }
        for (index, event) in events.enumerated() where !isValidPattern(event, extra: "") {
            reader.report(
                "\(fields.path("events"))[\(index)]",
                "must be event name characters (A-Z a-z 0-9 _ . : -) with \"*\" wildcards (got \"\(event)\")")
        }
        guard let channel else { return nil }
        return ClientEventRule(channel: channel, events: events)
    }

    /// Name characters (`A-Z a-z 0-9 _ . : -` and `extra`) and `*`, at most 200 of them.
    private static func isValidPattern(_ text: String, extra: String) -> Bool {
        !text.isEmpty && text.count <= 200
            && text.allSatisfy { character in
                character.isASCII && (character.isLetter || character.isNumber || "_.:-*".contains(character))
                    || extra.contains(character)
            }
    }
}
