import HeraldConfig
import HeraldDaemonKit
import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldSocketIO

/// Events outside the vocabulary: client events on `/` and in a room's namespace, and calls to a backend.
@Suite struct SocketIOClientEventTests {
    let start = SessionInstant(deadline: .uptimeNanoseconds(1_000_000_000_000), wallMilliseconds: 1_752_748_200_000)
    let alice = Principal(userID: "42", roles: ["member"], name: "Alice")

    private func session() -> SocketIOSession {
        var configuration = HeraldConfiguration()
        var quiz = AppConfig(id: "quiz", key: "quiz-key", secret: "s")
        quiz.rpc = RPCConfig(url: "http://127.0.0.1:9/rpc", events: ["quiz:answer_submit"], timeoutMilliseconds: 500)
        configuration.apps = [.lottery, quiz]
        var session = SocketIOSession(
            SessionContext(
                connectionID: "1.2",
                request: ConnectionRequest(uri: "/socket.io/?EIO=4&transport=websocket", headers: [:]),
                principal: nil, settings: EdgeSettings(configuration), lanes: [DeliveryLane(1), DeliveryLane(2)],
                now: start),
            pid: "pid-1")
        _ = session.start(now: start)
        _ = send(&session, #"40{"token":"good"}"#)
        _ = session.connectVerdict(.success(alice), now: start)
        return session
    }

    private func payload(_ action: ConnectionAction) -> String? {
        guard case .write(let written) = action else { return nil }
        var frame = written
        _ = frame.readInteger(as: UInt8.self)
        let length = frame.readInteger(as: UInt8.self) ?? 0
        if length == 126 { _ = frame.readInteger(as: UInt16.self) }
        return String(buffer: frame)
    }

    private func send(_ session: inout SocketIOSession, _ text: String) -> [ConnectionAction] {
        session.receive(text: ByteBuffer(string: text), now: start)
    }

    private func join(_ session: inout SocketIOSession, _ channel: String) {
        _ = send(&session, #"42["subscribe",{"channel":"\#(channel)"}]"#)
        _ = session.subscribeVerdict(channel: channel, .success(()))
        _ = session.joined(channel: channel, position: nil, recovery: nil)
    }

    @Test func onTheMainNamespaceAClientEventIsChannelAndData() throws {
        var session = session()
        join(&session, "thread.1")
        let actions = send(
            &session, #"425["forum.typing.started",{"channel":"thread.1","data":{"expires_at":1752748201000}}]"#)
        guard case .publish(let event, let ticket?) = try #require(actions.first) else {
            Issue.record("not published: \(actions)")
            return
        }
        #expect(event.channels == ["thread.1"] && event.isClientEvent)
        #expect(event.audience.excludeSocketID == "1.2")
        #expect(
            String(buffer: event.data) == #"{"expires_at":1752748201000,"user":{"id":"42","name":"Alice"}}"#)
        guard case .typing(.start(_, let expiresAt)) = actions[1] else {
            Issue.record("no typing timer: \(actions)")
            return
        }
        #expect(expiresAt == 1_752_748_201_000)
        #expect(actions.compactMap(payload).isEmpty, "the ack waits for the pipeline to take the event")
        #expect(
            session.published(ticket: ticket, .success(())).compactMap(payload)
                == [#"435[{"success":true,"id":"\#(event.id.rawValue)"}]"#])
        let again = send(&session, #"426["forum.typing.stopped",{"channel":"thread.1"}]"#)
        guard case .publish(_, let refused?) = try #require(again.first) else { return }
        let failure = session.published(ticket: refused, .failure(WireFailure(.rateLimitExceeded, "slow down")))
        #expect(
            failure.compactMap(payload) == [
                #"42["error",{"code":"RATE_LIMIT_EXCEEDED","message":"slow down","details":{}}]"#,
                #"436[{"success":false,"error":{"code":"RATE_LIMIT_EXCEEDED","message":"slow down"}}]"#,
            ])
    }

    @Test func inARoomNamespaceTheArgumentIsTheDataOnTheRoomsChannel() throws {
        var session = session()
        _ = send(&session, #"40/rooms/r1,{"token":"good"}"#)
        _ = session.subscribeVerdict(channel: "room.r1", .success(()))
        _ = session.joined(channel: "room.r1", position: nil, recovery: nil)
        // No rule takes events on rooms: refused, with the error event and the ack.
        let refused = send(&session, #"42/rooms/r1,6["lottery:pick",{"n":7}]"#).compactMap(payload)
        #expect(refused.count == 2)
        #expect(refused[0].hasPrefix(#"42/rooms/r1,["error",{"code":"PERMISSION_DENIED""#))
        #expect(refused[1].hasPrefix(#"43/rooms/r1,6[{"success":false,"error":{"code":"PERMISSION_DENIED""#))
        // A call: not delivered, answered with the backend's JSON as it came.
        let actions = send(&session, #"42/rooms/r1,7["quiz:answer_submit",{"answer":"B"}]"#)
        guard case .call(let call, let timeout, let ticket) = try #require(actions.first), actions.count == 1 else {
            Issue.record("not a call: \(actions)")
            return
        }
        #expect(call.room == "r1" && call.principal == alice && call.socketID == "1.2")
        #expect(String(buffer: call.data) == #"{"answer":"B"}"#)
        #expect(timeout == .milliseconds(500))
        let answer = session.called(ticket: ticket, .success(ByteBuffer(string: #"{"success":true,"rank":1}"#)))
        #expect(answer.compactMap(payload) == [#"43/rooms/r1,7[{"success":true,"rank":1}]"#])
        _ = send(&session, #"42/rooms/r1,8["quiz:answer_submit",{}]"#)
        let failed = session.called(ticket: ticket + 1, .failure(WireFailure(.internal, "HTTP 500")))
        #expect(
            failed.compactMap(payload) == [
                #"43/rooms/r1,8[{"success":false,"error":{"code":"INTERNAL","message":"HTTP 500"}}]"#
            ])
    }

    @Test func withoutAChannelOrUnjoinedItIsPermissionDenied() {
        var session = session()
        let shapeless = send(&session, #"421["forum.typing.started",{"data":{}}]"#).compactMap(payload)
        #expect(shapeless[1].hasPrefix(#"431[{"success":false,"error":{"code":"PERMISSION_DENIED""#))
        let unjoined = send(&session, #"422["forum.typing.started",{"channel":"thread.9"}]"#).compactMap(payload)
        #expect(unjoined[1].hasPrefix(#"432[{"success":false,"error":{"code":"PERMISSION_DENIED""#))
    }

    @Test func readReceiptsAreMarkedAsClientEvents() throws {
        var session = session()
        let actions = send(&session, #"423["notification:mark_read",{"notificationId":"n1"}]"#)
        guard case .publish(let event, _) = try #require(actions.first) else { return }
        #expect(event.isClientEvent && event.name == "notification_read")
    }
}
