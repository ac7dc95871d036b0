/// `batcher`: priority windows and per-channel history (`herald-batcher`).
public struct BatcherConfig: Sendable, Equatable {
    /// Milliseconds medium-priority events are gathered before a flush. Default 2,000.
    public var mediumWindowMilliseconds: Int
    /// Milliseconds low-priority events are gathered before a flush. Default 10,000.
    public var lowWindowMilliseconds: Int
    /// A window holding this many events is flushed early. Default 1,000.
    public var maxWindowEvents: Int
    /// Events kept per channel for reconnecting clients to recover; 0 keeps none. Default 100.
    public var historyEvents: Int
    /// Seconds an event stays in a channel's history. Default 600.
    public var historySeconds: Int
    /// Channels that keep more or less history than the defaults above; the first matching rule wins.
    /// Default none.
    public var channelHistory: [HistoryRule]

    public init(
        mediumWindowMilliseconds: Int = 2000, lowWindowMilliseconds: Int = 10_000, maxWindowEvents: Int = 1000,
        historyEvents: Int = 100, historySeconds: Int = 600, channelHistory: [HistoryRule] = []
    ) {
        self.channelHistory = channelHistory
        self.mediumWindowMilliseconds = mediumWindowMilliseconds
        self.lowWindowMilliseconds = lowWindowMilliseconds
        self.maxWindowEvents = maxWindowEvents
        self.historyEvents = historyEvents
        self.historySeconds = historySeconds
    }

    public var mediumWindow: Duration { .milliseconds(mediumWindowMilliseconds) }
    public var lowWindow: Duration { .milliseconds(lowWindowMilliseconds) }
    public var historyRetention: Duration { .seconds(historySeconds) }

    /// How much history `channel` keeps: its first `channelHistory` rule, else the defaults.
    public func history(of channel: String) -> (events: Int, seconds: Int) {
        guard let rule = channelHistory.first(where: { $0.pattern.matches(channel) }) else {
            return (historyEvents, historySeconds)
        }
        return (rule.events, rule.seconds)
    }
}

extension BatcherConfig: ConfigSection {
    static let scalarKeys = [
        "medium_window_ms", "low_window_ms", "max_window_events", "history_events", "history_seconds",
    ]
    static let listKeys = ["channel_history"]

    init(reading fields: ConfigFields, with reader: inout ConfigReader) {
        self.init()
        mediumWindowMilliseconds = reader.integer(
            fields, "medium_window_ms", default: mediumWindowMilliseconds, atLeast: 1)
        lowWindowMilliseconds = reader.integer(fields, "low_window_ms", default: lowWindowMilliseconds, atLeast: 1)
        maxWindowEvents = reader.integer(fields, "max_window_events", default: maxWindowEvents, atLeast: 1)
        historyEvents = reader.integer(fields, "history_events", default: historyEvents, atLeast: 0)
        historySeconds = reader.integer(fields, "history_seconds", default: historySeconds, atLeast: 1)
        let defaults = (historyEvents, historySeconds)
        channelHistory = reader.list(fields, "channel_history", default: channelHistory) { reader, node, path in
            HistoryRule.read(node, at: path, defaults: defaults, with: &reader)
        }
    }
}
