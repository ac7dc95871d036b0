import HeraldConfig
import HeraldDaemonKit
import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore
import Testing

/// What becomes of a client's event, in every protocol: rules, rate limit, typing, calls.
@Suite struct ClientEventGateTests {
    let start = SessionInstant(deadline: .uptimeNanoseconds(1_000_000_000_000), wallMilliseconds: 1_752_748_200_000)
    let alice = ClientEventSender(
        connectionID: "1.2", principal: Principal(userID: "42", roles: ["member"], name: "Alice"))

    func gate(limit: Int = 100, apps: [AppConfig] = [.lottery]) -> ClientEventGate {
        var configuration = HeraldConfiguration()
        configuration.limits.clientEventsPerMinute = limit
        configuration.apps = apps
        return ClientEventGate(settings: EdgeSettings(configuration), now: start.deadline)
    }

    func request(_ name: String, _ channel: String, _ data: String = "{}") -> ClientEventRequest {
        ClientEventRequest(name: name, channel: channel, data: ByteBuffer(string: data))
    }

    @Test func anAllowedEventIsPublishedToOthersAsTheSenderAndMarkedClient() throws {
        var gate = gate()
        let decision = gate.decide(
            request("client-moved", "private-game.1", #"{"x":1}"#), from: alice, joined: true, now: start)
        guard case .publish(let event, let typing) = decision else { throw Unexpected(decision) }
        #expect(typing == nil)
        #expect(event.name == "client-moved" && event.channels == ["private-game.1"])
        #expect(event.userID.map { String(buffer: $0) } == #""42""#)
        #expect(event.isClientEvent)
        #expect(event.audience.excludeSocketID == "1.2")
        #expect(String(buffer: event.data) == #"{"x":1}"#)
        #expect(event.timestamp == "2025-07-17T10:30:00Z")
    }

    @Test func theRulesTheChannelAndTheNameDecideRefusals() {
        var gate = gate()
        #expect(
            gate.decide(request("forum.comment.created", "thread.1"), from: alice, joined: true, now: start).code
                == .permissionDenied)
        #expect(
            gate.decide(request("forum.typing.started", "thread.1"), from: alice, joined: false, now: start).code
                == .permissionDenied)
        #expect(
            gate.decide(request("bad name", "thread.1"), from: alice, joined: true, now: start).code == .invalidPayload)
    }

    @Test func publishedEventsAndCallsCountButRefusalsDoNot() {
        var gate = gate(limit: 2)
        for _ in 0..<5 {
            _ = gate.decide(request("forum.comment.created", "thread.1"), from: alice, joined: true, now: start)
        }
        #expect(gate.decide(request("client-a", "private-a"), from: alice, joined: true, now: start).code == nil)
        #expect(gate.decide(request("client-a", "private-a"), from: alice, joined: true, now: start).code == nil)
        #expect(
            gate.decide(request("client-a", "private-a"), from: alice, joined: true, now: start).code
                == .rateLimitExceeded)
        // Counted already by the protocol: not again.
        #expect(
            gate.decide(request("client-a", "private-a"), from: alice, joined: true, counted: true, now: start).code
                == nil)
        var later = start
        later.deadline = start.deadline + .seconds(61)
        #expect(gate.decide(request("client-a", "private-a"), from: alice, joined: true, now: later).code == nil)
    }

    @Test func typingStartedGetsTheEdgesExpiryAndUserAndArmsATimer() throws {
        var gate = gate()
        let decision = gate.decide(
            request("forum.typing.started", "thread.1", #"{"thread_id":1,"user":"forged"}"#), from: alice,
            joined: true, now: start)
        guard case .publish(let event, .start(let stop, let expiresAt)?) = decision else { throw Unexpected(decision) }
        #expect(expiresAt == start.wallMilliseconds + 5_000)
        #expect(
            String(buffer: event.data)
                == #"{"thread_id":1,"expires_at":1752748205000,"user":{"id":"42","name":"Alice"}}"#)
        #expect(stop.key == TypingKey(channel: "thread.1", typist: "42", prefix: "forum"))
        #expect(stop.socketID == "1.2")
        #expect(String(buffer: stop.user) == #"{"id":"42","name":"Alice"}"#)
    }

    @Test func anEarlierExpiryFromTheClientIsKeptALaterOneIsNot() throws {
        var gate = gate()
        let soon = start.wallMilliseconds + 1_000
        let early = gate.decide(
            request("forum.typing.started", "thread.1", #"{"expires_at":\#(soon)}"#), from: alice, joined: true,
            now: start)
        guard case .publish(_, .start(_, let expiresAt)?) = early else { throw Unexpected(early) }
        #expect(expiresAt == soon)
        let late = gate.decide(
            request("forum.typing.started", "thread.1", #"{"expires_at":\#(soon + 60_000)}"#), from: alice,
            joined: true, now: start)
        guard case .publish(_, .start(_, let capped)?) = late else { throw Unexpected(late) }
        #expect(capped == start.wallMilliseconds + 5_000)
        // Data that is not an object reads as {}.
        let bare = gate.decide(request("forum.typing.started", "thread.1", "7"), from: alice, joined: true, now: start)
        guard case .publish(let event, _) = bare else { throw Unexpected(bare) }
        #expect(String(buffer: event.data) == #"{"expires_at":1752748205000,"user":{"id":"42","name":"Alice"}}"#)
    }

    @Test func typingStoppedFromTheClientDisarmsTheTimerAndIsDeliveredAsItCame() throws {
        var gate = gate()
        let decision = gate.decide(
            request("messaging.typing.stopped", "conversation.9", #"{"a":1}"#), from: alice, joined: true, now: start)
        guard case .publish(let event, .stop(let key)?) = decision else { throw Unexpected(decision) }
        #expect(key == TypingKey(channel: "conversation.9", typist: "42", prefix: "messaging"))
        #expect(String(buffer: event.data) == #"{"a":1}"#)
    }

    @Test func anRPCEventOnARoomIsACallNotAClientEvent() throws {
        var quiz = AppConfig(id: "quiz", key: "quiz-key", secret: "s")
        quiz.rpc = RPCConfig(url: "http://127.0.0.1:9/rpc", events: ["quiz:answer_submit"], timeoutMilliseconds: 800)
        var gate = gate(limit: 1, apps: [.lottery, quiz])
        let decision = gate.decide(
            request("quiz:answer_submit", "room.quiz1", #"{"answer":"B"}"#), from: alice, joined: true, now: start)
        guard case .call(let call, let timeout) = decision else { throw Unexpected(decision) }
        #expect(timeout == .milliseconds(800))
        #expect(call.app == "quiz" && call.room == "quiz1" && call.event == "quiz:answer_submit")
        #expect(call.socketID == "1.2" && call.principal == alice.principal)
        #expect(String(buffer: call.data) == #"{"answer":"B"}"#)
        // Calls count against the connection's limit.
        #expect(
            gate.decide(request("quiz:answer_submit", "room.quiz1"), from: alice, joined: true, now: start).code
                == .rateLimitExceeded)
        // Elsewhere the same name is an ordinary client event, which no rule allows.
        var other = self.gate(apps: [quiz])
        #expect(
            other.decide(request("quiz:answer_submit", "thread.1"), from: alice, joined: true, now: start).code
                == .permissionDenied)
        // Not joined: refused before anything else.
        #expect(
            other.decide(request("quiz:answer_submit", "room.quiz1"), from: alice, joined: false, now: start).code
                == .permissionDenied)
    }
}

struct Unexpected: Error {
    let decision: ClientEventDecision
    init(_ decision: ClientEventDecision) { self.decision = decision }
}

extension ClientEventDecision {
    /// The refusal's code; nil when not refused.
    var code: ErrorCode? {
        if case .refused(let code, _) = self { return code }
        return nil
    }
}
