import HeraldConfig
import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldSocketIO

/// The Socket.IO session as a pure state machine: packets in, exact packets and actions out.
@Suite struct SocketIOSessionTests {
    let start = SessionInstant(deadline: .uptimeNanoseconds(1_000_000_000_000), wallMilliseconds: 1_752_748_200_000)
    let alice = Principal(userID: "42", roles: ["member"])
    let lanes = [DeliveryLane(1), DeliveryLane(2)]

    private func session(transport: String = "websocket") -> SocketIOSession {
        SocketIOSession(
            SessionContext(
                connectionID: "1.2",
                request: ConnectionRequest(uri: "/socket.io/?EIO=4&transport=\(transport)", headers: [:]),
                principal: nil, settings: EdgeSettings(HeraldConfiguration()), lanes: lanes, now: start),
            pid: "pid-1")
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

    /// A session whose main namespace is connected as alice.
    private func connected() -> SocketIOSession {
        var session = session()
        _ = session.start(now: start)
        _ = send(&session, #"40{"token":"good"}"#)
        _ = session.connectVerdict(.success(alice), now: start)
        return session
    }

    @Test func theHandshakeNamesTheSocketIDAndOffersTheUpgradeOnlyToPolling() {
        var websocket = session()
        #expect(
            websocket.start(now: start).compactMap(payload) == [
                #"0{"sid":"1.2","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1048576}"#
            ])
        var polling = session(transport: "polling")
        #expect(polling.start(now: start).compactMap(payload).first?.contains(#""upgrades":["websocket"]"#) == true)
    }

    @Test func theFirstConnectCarriesTheTokenAndARefusalMayBeRetried() {
        var session = session()
        _ = session.start(now: start)
        #expect(
            send(&session, "40").compactMap(payload) == [#"44{"message":"Authentication failed: No token provided"}"#])
        #expect(send(&session, #"40{"token":"Bearer bad"}"#) == [.authorizeConnect(token: "bad")])
        let refused = session.connectVerdict(.failure(WireFailure(.authenticationFailed, "bad signature")), now: start)
        #expect(
            refused.compactMap(payload) == [
                #"44{"message":"Authentication failed: Invalid token","data":{"code":"AUTHENTICATION_FAILED"}}"#
            ])
        #expect(!session.isClosed)
        #expect(send(&session, #"40{"token":"good"}"#) == [.authorizeConnect(token: "good")])
        let opened = session.connectVerdict(.success(alice), now: start)
        #expect(opened.first == .opened(alice))
        #expect(opened.compactMap(payload) == [#"40{"sid":"1.2","pid":"pid-1"}"#])
        #expect(opened.contains(.join(channel: "user.42", lane: DeliveryLane(1))))
    }

    @Test func anExpiredTokenSaysSo() {
        var session = session()
        _ = send(&session, #"40{"token":"old"}"#)
        let refused = session.connectVerdict(.failure(WireFailure(.tokenExpired, "expired")), now: start)
        #expect(
            refused.compactMap(payload).first?.hasPrefix(#"44{"message":"Authentication failed: Token expired""#)
                == true)
    }

    @Test func aRoomNamespaceIsAnsweredOnceItsChannelIsJoinedOnTheRoomLane() {
        var session = connected()
        #expect(send(&session, #"40/rooms/r1,{"token":"good"}"#) == [.authorizeSubscribe(alice, channel: "room.r1")])
        #expect(
            session.subscribeVerdict(channel: "room.r1", .success(())) == [
                .join(channel: "room.r1", lane: DeliveryLane(2))
            ])
        #expect(
            session.joined(channel: "room.r1", position: nil, recovery: nil).compactMap(payload) == [
                #"40/rooms/r1,{"sid":"1.2"}"#
            ])
        #expect(session.connected.contains(SocketNamespace("/rooms/r1")!))
        // Another token on the same connection is refused.
        #expect(
            send(&session, #"40/rooms/r2,{"token":"other"}"#).compactMap(payload).first?.hasPrefix(
                #"44/rooms/r2,{"message":"Authentication failed"#) == true)
        #expect(
            send(&session, #"40/admin,{"token":"good"}"#).compactMap(payload) == [
                #"44/admin,{"message":"Invalid namespace"}"#
            ])
    }

    @Test func subscribeIsAnsweredWithAnEventAndTheAck() {
        var session = connected()
        #expect(
            send(&session, #"427["subscribe",{"channel":"products"}]"#) == [
                .authorizeSubscribe(alice, channel: "products")
            ])
        _ = session.subscribeVerdict(channel: "products", .success(()))
        #expect(
            session.joined(channel: "products", position: nil, recovery: nil).compactMap(payload) == [
                #"42["subscribed",{"channel":"products","status":"success"}]"#,
                #"437[{"success":true,"channel":"products"}]"#,
            ])
        _ = send(&session, #"428["subscribe",{"channel":"admin.notifications"}]"#)
        let refused = session.subscribeVerdict(
            channel: "admin.notifications", .failure(WireFailure(.permissionDenied, "Unauthorized")))
        #expect(
            refused.compactMap(payload) == [
                #"42["subscription_error",{"channel":"admin.notifications","error":"Unauthorized"}]"#,
                #"438[{"success":false,"error":{"code":"PERMISSION_DENIED","message":"Unauthorized"}}]"#,
            ])
    }

    @Test func aSubscriptionTokenTravelsWithTheQuestion() {
        var session = connected()
        #expect(
            send(&session, #"429["subscribe",{"channel":"conversation.5","token":"sub-token"}]"#) == [
                .authorizeSubscribe(alice, channel: "conversation.5", token: "sub-token")
            ])
    }

    @Test func readReceiptsArePublishedOnTheUsersChannelWithoutThisConnection() throws {
        var session = connected()
        let actions = send(&session, #"423["notification:mark_read",{"notificationId":"n1"}]"#)
        guard case .publish(let event, _) = try #require(actions.first) else {
            Issue.record("not published: \(actions)")
            return
        }
        #expect(event.name == "notification_read")
        #expect(event.channels == ["user.42"])
        #expect(event.audience.excludeSocketID == "1.2")
        #expect(String(buffer: event.data) == #"{"notificationId":"n1"}"#)
        #expect(actions.dropFirst().compactMap(payload) == [#"433[{"success":true}]"#])
    }

    @Test func eventsBeforeConnectingAreIgnoredAndUnknownOnesRefused() {
        var fresh = session()
        #expect(send(&fresh, #"42["subscribe",{"channel":"products"}]"#) == [])
        var session = connected()
        let refused = send(&session, #"421["launch",{}]"#).compactMap(payload)
        #expect(refused.count == 2)
        #expect(refused[0].hasPrefix(#"42["error",{"code":"PERMISSION_DENIED""#))
        #expect(refused[1].hasPrefix(#"431[{"success":false,"error":{"code":"PERMISSION_DENIED""#))
    }

    @Test func aClientsAcknowledgementIsTakenQuietly() {
        var session = connected()
        #expect(send(&session, #"431["done"]"#) == [])
        #expect(send(&session, #"43/rooms/r1,2[]"#) == [])
        #expect(!session.isClosed)
    }

    @Test func malformedPacketsCloseTheConnection() {
        for garbage in ["999", "", "42[", "4x", "7"] {
            var session = connected()
            let actions = send(&session, garbage)
            guard case .close(let code, _) = actions.last else {
                Issue.record("\(garbage): \(actions)")
                continue
            }
            #expect(code == .protocolError, "\(garbage)")
            #expect(session.isClosed)
        }
    }

    @Test func heartbeatsAreEnginePingsAndProbesAreAnswered() {
        var session = connected()
        let later = SessionInstant(deadline: start.deadline + .seconds(25), wallMilliseconds: 0)
        #expect(session.tick(now: later).compactMap(payload) == ["2"])
        #expect(send(&session, "3") == [])
        #expect(send(&session, "2probe").compactMap(payload) == ["3probe"])
    }

    // MARK: Connection-state recovery

    @Test func aConnectWithAPidAsksForTheSessionAndIsAnsweredWhenItIsRestored() {
        var session = session()
        _ = session.start(now: start)
        // socket.io-client merges pid and offset before the auth object's members.
        #expect(
            send(&session, #"40{"pid":"old-pid","offset":"e7:41","token":"good"}"#) == [
                .authorizeConnect(token: "good")
            ])
        let opened = session.connectVerdict(.success(alice), now: start)
        #expect(opened.first == .opened(alice))
        #expect(
            opened.contains(
                .restoreSession(
                    SessionRestore(
                        pid: "old-pid", cursor: SessionRestore.Cursor(epoch: "e7", sequence: 41), namespace: "/",
                        lane: DeliveryLane(1)))))
        #expect(opened.compactMap(payload).isEmpty, "no CONNECT answer before the restore")
        #expect(!opened.contains(.join(channel: "user.42", lane: DeliveryLane(1))), "the restore joins them")
        let restored = session.restored(
            SessionRestoration(channels: ["private-user.42", "thread.1", "user.42"], recovered: true))
        #expect(restored.compactMap(payload) == [#"40{"sid":"1.2","pid":"old-pid"}"#])
        #expect(
            restored.contains(
                .saveSession(
                    .init(
                        pid: "old-pid", userID: "42", namespace: "/",
                        channels: ["private-user.42", "thread.1", "user.42"]))))
        #expect(session.core.isJoined("thread.1"))
    }

    @Test func aSessionThatCannotBeRestoredStartsAnewWithItsOwnChannels() {
        var session = session()
        _ = session.start(now: start)
        _ = send(&session, #"40{"pid":"old-pid","token":"good"}"#)
        _ = session.connectVerdict(.success(alice), now: start)
        let restored = session.restored(SessionRestoration(channels: [], recovered: false))
        #expect(restored.compactMap(payload) == [#"40{"sid":"1.2","pid":"pid-1"}"#])
        #expect(restored.contains(.join(channel: "user.42", lane: DeliveryLane(1))))
        #expect(restored.contains(.join(channel: "private-user.42", lane: DeliveryLane(1))))
    }

    @Test func anOffsetThisEdgeNeverWroteRecoversFromWhereTheSessionJoined() {
        #expect(SocketRecoveryCursor(text: "e7:41") == SocketRecoveryCursor(epoch: "e7", sequence: 41))
        for text in ["pong", "e7:", ":4", "e7:-1", "e7:x"] { #expect(SocketRecoveryCursor(text: text) == nil) }
        var session = session()
        _ = session.start(now: start)
        _ = send(&session, #"40{"pid":"old-pid","offset":"pong","token":"good"}"#)
        let opened = session.connectVerdict(.success(alice), now: start)
        #expect(
            opened.contains(
                .restoreSession(SessionRestore(pid: "old-pid", cursor: nil, namespace: "/", lane: DeliveryLane(1)))))
    }

    @Test func deliveriesEndWithTheCursorAndEveryOtherEventWithAnObject() {
        let event = WireEvent(
            id: EventID(uncheckedRawValue: "evt_1"), name: "forum.comment.created", channels: ["thread.1"],
            timestamp: "2025-07-17T10:30:00Z", priority: .high, data: ByteBuffer(string: #"{"n":1}"#), offset: 5,
            epoch: "e7", sequence: 41)
        var buffer = ByteBuffer()
        buffer.writeSocketDelivery(event)
        #expect(
            String(buffer: buffer)
                == #"42["forum.comment.created",{"n":1},{"id":"evt_1","channel":"thread.1","#
                + #""timestamp":"2025-07-17T10:30:00Z","priority":"high","offset":5},"e7:41"]"#)
        var session = connected()
        #expect(send(&session, #"42["ping"]"#).compactMap(payload).first == #"42["pong",{}]"#)
    }
}

@Suite struct SocketIOCapacityTests {
    @Test func aFullEdgeAnswersTheConnectWithConnectionLimitAndCloses() {
        let context = SessionContext(
            connectionID: "1.2", request: ConnectionRequest(uri: "/socket.io/?EIO=4&transport=websocket", headers: [:]),
            principal: nil, settings: EdgeSettings(HeraldConfiguration()), lanes: [DeliveryLane(0), DeliveryLane(1)],
            now: SessionInstant(deadline: .uptimeNanoseconds(1), wallMilliseconds: 0),
            overCapacity: "CONNECTION_LIMIT: full")
        var session = SocketIOSession(context)
        let actions = session.receive(text: ByteBuffer(string: #"40{"token":"t"}"#), now: context.now)
        guard case .write(let written) = actions.first else {
            Issue.record("no answer: \(actions)")
            return
        }
        #expect(String(buffer: written).hasSuffix(#"44{"message":"CONNECTION_LIMIT: full"}"#))
        #expect(actions.last == .close(.tryAgainLater, reason: "this edge is full; reconnect later"))
    }
}
