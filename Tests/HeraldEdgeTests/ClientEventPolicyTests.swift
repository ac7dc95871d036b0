import HeraldConfig
import HeraldEdge
import Testing

@Suite struct ClientEventPolicyTests {
    let defaults = ClientEventPolicy(ClientEventRule.defaults)

    @Test func theDefaultsTakeTypingOnThreadsAndConversationsAndPusherClientEvents() {
        #expect(defaults.allows("forum.typing.started", on: "thread.456"))
        #expect(defaults.allows("forum.typing.stopped", on: "thread.456"))
        #expect(defaults.allows("messaging.typing.started", on: "conversation.9"))
        #expect(defaults.allows("client-moved", on: "private-game.1"))
        #expect(defaults.allows("client-moved", on: "presence-lobby"))
        #expect(!defaults.allows("messaging.typing.started", on: "thread.456"))
        #expect(!defaults.allows("forum.comment.created", on: "thread.456"))
        #expect(!defaults.allows("moved", on: "private-game.1"))
        #expect(!defaults.allows("forum.typing.started", on: "room.quiz1"))
        #expect(!defaults.allows("forum.typing.started", on: "user.42"))
    }

    @Test func theFirstMatchingChannelDecidesEvenWhenALaterRuleWouldAllow() {
        let policy = ClientEventPolicy([
            ClientEventRule(channel: "thread.secret.*", events: ["none"]),
            ClientEventRule(channel: "thread.*", events: ["forum.typing.*", "forum.cursor"]),
        ])
        #expect(!policy.allows("forum.typing.started", on: "thread.secret.1"))
        #expect(policy.allows("forum.typing.started", on: "thread.1"))
        #expect(policy.allows("forum.cursor", on: "thread.1"))
        #expect(!policy.allows("forum.cursors", on: "thread.1"))
    }

    @Test func refusalsSayWhatTheChannelTakes() {
        #expect(defaults.refusal("forum.comment.created", on: "thread.1").contains("forum.typing.*"))
        #expect(defaults.refusal("x", on: "room.1").contains("no channels.client_events rule"))
    }
}
