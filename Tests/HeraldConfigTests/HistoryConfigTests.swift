import HeraldConfig
import Testing

@Suite("batcher.channel_history")
struct HistoryConfigTests {
    @Test func channelsWithoutARuleKeepTheDefaults() throws {
        let c = try load("")
        #expect(c.batcher.channelHistory.isEmpty)
        #expect(c.batcher.history(of: "thread.1") == (100, 600))
    }

    @Test func theFirstMatchingRuleDecidesAndMissingValuesComeFromTheSection() throws {
        let c = try load(
            """
            batcher:
              history_events: 50
              history_seconds: 120
              channel_history:
                - {channel: "conversation.*", events: 1000, seconds: 86400}
                - {channel: "thread.*", events: 500}
                - {channel: "*", events: 0}
            """)
        #expect(c.batcher.history(of: "conversation.9") == (1000, 86400))
        #expect(c.batcher.history(of: "thread.4") == (500, 120))
        #expect(c.batcher.history(of: "orders") == (0, 120))
    }

    @Test func mistakesNameTheirKeyPath() {
        #expect(
            problems("batcher: {channel_history: [{events: 3}]}").contains {
                $0.hasPrefix("batcher.channel_history[0].channel:")
            })
        #expect(
            problems("batcher: {channel_history: [{channel: a, events: -1}]}").contains {
                $0.hasPrefix("batcher.channel_history[0].events:")
            })
        #expect(
            problems("batcher: {channel_history: [{channel: a, size: 1}]}").contains {
                $0.hasPrefix("batcher.channel_history[0].size:")
            })
    }
}
