import HeraldModel

/// One entry of `batcher.channel_history`: how much history the channels matching `channel` keep, instead of
/// `batcher.history_events` and `history_seconds`. The first matching rule wins.
public struct HistoryRule: Sendable, Equatable {
    /// Channel name, or a pattern where `*` matches any run of characters.
    public var channel: String
    /// Events kept per channel; 0 keeps none.
    public var events: Int
    /// Seconds an event stays.
    public var seconds: Int

    public init(channel: String, events: Int, seconds: Int) {
        self.channel = channel
        self.events = events
        self.seconds = seconds
    }

    public var pattern: GlobPattern { GlobPattern(channel) }
}

extension HistoryRule {
    static let keys = ["channel", "events", "seconds"]

    /// Reads a rule; `events` and `seconds` default to the section's own values.
    static func read(
        _ node: ConfigNode, at path: String, defaults: (events: Int, seconds: Int), with reader: inout ConfigReader
    ) -> HistoryRule? {
        guard let fields = reader.fields(node, at: path, known: keys) else { return nil }
        guard let channel = reader.requiredString(fields, "channel") else { return nil }
        let events = reader.integer(fields, "events", default: defaults.events, atLeast: 0)
        let seconds = reader.integer(fields, "seconds", default: defaults.seconds, atLeast: 1)
        return HistoryRule(channel: channel, events: events, seconds: seconds)
    }
}
