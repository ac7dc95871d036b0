import HeraldConfig
import HeraldDaemonKit
import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldNativeProtocol

/// `publish` through the native session: client events, typing, calls, refusals — actions and exact acks.
@Suite struct NativePublishTests {
    let start = SessionInstant(deadline: .uptimeNanoseconds(1_000_000_000_000), wallMilliseconds: 1_752_748_200_000)
    let alice = Principal(userID: "42", roles: ["member"], name: "Alice")

    func configuration(limit: Int = 100) -> HeraldConfiguration {
        var configuration = HeraldConfiguration()
        configuration.limits.clientEventsPerMinute = limit
        var quiz = AppConfig(id: "quiz", key: "quiz-key", secret: "s")
        quiz.rpc = RPCConfig(url: "http://127.0.0.1:9/rpc", events: ["quiz:answer_submit"])
        configuration.apps = [.lottery, quiz]
        return configuration
    }

    /// An open session as alice, joined to `channels`.
    func session(joined channels: [String], limit: Int = 100) -> any ProtocolSession {
        var session = NativeProtocol().makeSession(
            SessionContext(
                connectionID: "1.2", request: ConnectionRequest(uri: "/ws", headers: [:]), principal: alice,
                settings: EdgeSettings(configuration(limit: limit)), lanes: [DeliveryLane(0)], now: start))
        _ = session.start(now: start)
        for (index, channel) in channels.enumerated() {
            _ = send(&session, #"{"type":"subscribe","id":"s\#(index)","channel":"\#(channel)"}"#)
            _ = session.subscribeVerdict(channel: channel, .success(()))
            _ = session.joined(channel: channel, position: nil, recovery: nil)
        }
        return session
    }

    func send(_ session: inout any ProtocolSession, _ text: String) -> [ConnectionAction] {
        session.receive(text: ByteBuffer(string: text), now: start)
    }

    func payloads(_ actions: [ConnectionAction]) -> [String] {
        actions.compactMap { action in
            guard case .write(var frame) = action else { return nil }
            _ = frame.readInteger(as: UInt8.self)
            let length = frame.readInteger(as: UInt8.self) ?? 0
            if length == 126 { _ = frame.readInteger(as: UInt16.self) }
            return String(buffer: frame)
        }
    }

    @Test func anAllowedEventIsPublishedAndAcknowledgedWithItsID() throws {
        var session = session(joined: ["thread.1"])
        let actions = send(
            &session, #"{"type":"publish","id":7,"channel":"thread.1","event":"forum.typing.stopped","data":{"a":1}}"#)
        guard case .publish(let event, let ticket?) = try #require(actions.first) else {
            Issue.record("not published: \(actions)")
            return
        }
        #expect(event.isClientEvent && event.audience.excludeSocketID == "1.2")
        #expect(event.userID.map { String(buffer: $0) } == #""42""#)
        #expect(actions.contains(.typing(.stop(TypingKey(channel: "thread.1", typist: "42", prefix: "forum")))))
        #expect(payloads(actions).isEmpty, "the ack waits for the pipeline to take the event")
        #expect(
            payloads(session.published(ticket: ticket, .success(())))
                == [#"{"type":"ack","id":7,"ok":true,"data":{"id":"\#(event.id.rawValue)"}}"#])
        #expect(payloads(session.published(ticket: ticket, .success(()))).isEmpty, "one ack per command")
    }

    @Test func anEventTheAuthorizerRefusesIsAnErrorAck() throws {
        var session = session(joined: ["thread.1"])
        let actions = send(&session, #"{"type":"publish","id":8,"channel":"thread.1","event":"forum.typing.stopped"}"#)
        guard case .publish(_, let ticket?) = try #require(actions.first) else {
            Issue.record("not published: \(actions)")
            return
        }
        let refusal = WireFailure(.rateLimitExceeded, "user 42 sends at most 100 client events a minute")
        #expect(
            payloads(session.published(ticket: ticket, .failure(refusal)))
                == [
                    #"{"type":"ack","id":8,"ok":false,"error":{"code":"RATE_LIMIT_EXCEEDED","message":"user 42 sends at most 100 client events a minute"}}"#
                ])
    }

    @Test func refusalsAreErrorAcks() {
        var session = session(joined: ["thread.1"], limit: 1)
        let denied = payloads(
            send(&session, #"{"type":"publish","id":1,"channel":"thread.1","event":"forum.comment.created"}"#))
        #expect(
            denied.count == 1
                && denied[0].hasPrefix(#"{"type":"ack","id":1,"ok":false,"error":{"code":"PERMISSION_DENIED""#))
        let unjoined = payloads(
            send(&session, #"{"type":"publish","id":2,"channel":"thread.2","event":"forum.typing.started"}"#))
        #expect(unjoined[0].contains("PERMISSION_DENIED") && unjoined[0].contains("subscribe to thread.2"))
        _ = send(&session, #"{"type":"publish","id":3,"channel":"thread.1","event":"forum.typing.stopped"}"#)
        let over = payloads(
            send(&session, #"{"type":"publish","id":4,"channel":"thread.1","event":"forum.typing.stopped"}"#))
        #expect(over[0].hasPrefix(#"{"type":"ack","id":4,"ok":false,"error":{"code":"RATE_LIMIT_EXCEEDED""#))
    }

    @Test func aCallIsAnsweredWithTheBackendsJSONOrItsError() throws {
        var session = session(joined: ["room.quiz1"])
        let actions = send(
            &session,
            #"{"type":"publish","id":"q","channel":"room.quiz1","event":"quiz:answer_submit","data":{"a":"B"}}"#)
        guard case .call(let call, let timeout, let ticket) = try #require(actions.first), actions.count == 1 else {
            Issue.record("not a call: \(actions)")
            return
        }
        #expect(call.app == "quiz" && call.room == "quiz1" && timeout == .milliseconds(3000))
        let answered = session.called(ticket: ticket, .success(ByteBuffer(string: #"{"success":true,"rank":2}"#)))
        #expect(payloads(answered) == [#"{"type":"ack","id":"q","ok":true,"data":{"success":true,"rank":2}}"#])
        #expect(session.called(ticket: ticket, .success(ByteBuffer(string: "{}"))).isEmpty)

        let second = send(&session, #"{"type":"publish","id":"r","channel":"room.quiz1","event":"quiz:answer_submit"}"#)
        guard case .call(_, _, let next) = try #require(second.first) else { return }
        let failed = session.called(ticket: next, .failure(WireFailure(.unavailable, "no answer")))
        #expect(
            payloads(failed) == [
                #"{"type":"ack","id":"r","ok":false,"error":{"code":"UNAVAILABLE","message":"no answer"}}"#
            ])
    }
}
