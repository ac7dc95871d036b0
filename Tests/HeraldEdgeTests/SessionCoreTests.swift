import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldEdge

@Suite struct SessionCoreTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
    let timing = SessionCore.Timing(
        heartbeatInterval: .seconds(25), heartbeatTimeout: .seconds(20), authenticationTimeout: .seconds(10))
    let alice = Principal(userID: "42", roles: ["member"])

    private func openSession() -> SessionCore {
        var session = SessionCore(connectionID: "c_test", principal: alice, timing: timing, now: start)
        _ = session.start()
        for channel in ["user.42", "private-user.42"] {
            _ = session.joined(channel: channel, position: nil, recovery: nil)
        }
        return session
    }

    private func id(_ n: Int) -> CommandID { CommandID(json: String(n)) }

    // MARK: Authentication

    @Test func tokenInTheURLOpensAtOnceAndJoinsThePersonalChannels() {
        var session = SessionCore(connectionID: "c_test", principal: alice, timing: timing, now: start)
        #expect(
            session.start() == [
                .opened(alice),
                .send(.connected(connectionID: "c_test", userID: "42", channels: ["user.42", "private-user.42"])),
                .join(channel: "user.42"), .join(channel: "private-user.42"),
            ])
        #expect(session.phase == .open)
        #expect(session.joined(channel: "user.42", position: nil, recovery: nil) == [])
        #expect(session.joinedChannels == ["user.42"])
    }

    @Test func firstMessageAuthenticatesAndCommandsSentMeanwhileWait() {
        var session = SessionCore(connectionID: "c_1", principal: nil, timing: timing, now: start)
        #expect(session.start() == [])
        #expect(session.receive(.authenticate(token: "Bearer t0k"), serverTime: 0) == [.authorizeConnect(token: "t0k")])
        #expect(session.receive(.ping(id: id(1)), serverTime: 5) == [])
        let actions = session.connectVerdict(.success(alice), serverTime: 9)
        #expect(
            actions == [
                .opened(alice),
                .send(.connected(connectionID: "c_1", userID: "42", channels: ["user.42", "private-user.42"])),
                .join(channel: "user.42"), .join(channel: "private-user.42"),
                .send(.ack(id: id(1), result: .pong(milliseconds: 9))),
            ])
    }

    @Test func badTokenInTheFirstMessageGetsAnErrorAndClose4001() {
        var session = SessionCore(connectionID: "c_1", principal: nil, timing: timing, now: start)
        _ = session.receive(.authenticate(token: "nope"), serverTime: 0)
        let actions = session.connectVerdict(.failure(WireFailure(.tokenExpired, "token expired")), serverTime: 0)
        #expect(
            actions == [
                .send(.error(code: .tokenExpired, message: "token expired")),
                .close(.authenticationFailed, reason: "token expired"),
            ])
        #expect(session.phase == .closed)
        #expect(session.receive(.ping(id: id(1)), serverTime: 0) == [])
    }

    @Test func anythingButAuthFirstIsRefused() {
        var session = SessionCore(connectionID: "c_1", principal: nil, timing: timing, now: start)
        let actions = session.receive(.subscribe(id: id(1), channel: "news", recover: nil), serverTime: 0)
        #expect(actions.count == 2)
        #expect(
            actions.last
                == .close(
                    .authenticationFailed,
                    reason: #"authenticate first: send {"type":"auth","token":"…"} as the first message"#))
        guard case .send(.error(.authenticationFailed, _)) = actions.first else {
            Issue.record("expected an AUTHENTICATION_FAILED error frame, got \(actions)")
            return
        }
    }

    @Test func unreachableAuthorizerClosesWithTryAgainLater() {
        var session = SessionCore(connectionID: "c_1", principal: nil, timing: timing, now: start)
        _ = session.receive(.authenticate(token: "t"), serverTime: 0)
        let actions = session.connectVerdict(.failure(WireFailure(.unavailable, "no answer")), serverTime: 0)
        #expect(actions.last == .close(.tryAgainLater, reason: "authorizer unavailable; reconnect later"))
    }

    @Test func aUserAtTheirConnectionLimitGetsConnectionLimitAndClose1013() {
        var session = SessionCore(connectionID: "c_1", principal: nil, timing: timing, now: start)
        _ = session.receive(.authenticate(token: "t"), serverTime: 0)
        let actions = session.connectVerdict(.failure(WireFailure(.connectionLimit, "user 42 holds 2")), serverTime: 0)
        #expect(
            actions == [
                .send(.error(code: .connectionLimit, message: "user 42 holds 2")),
                .close(.tryAgainLater, reason: "connection limit; close another connection first"),
            ])
        #expect(session.phase == .closed)
    }

    @Test func noTokenWithinTenSecondsCloses4001() {
        var session = SessionCore(connectionID: "c_1", principal: nil, timing: timing, now: start)
        #expect(session.nextWakeup == start + .seconds(10))
        #expect(session.tick(now: start + .seconds(9)) == [])
        let actions = session.tick(now: start + .seconds(10))
        #expect(actions.last == .close(.authenticationFailed, reason: "no token within 10 s of connecting"))
    }

    // MARK: Subscriptions

    @Test func allowedSubscribeIsAcknowledgedOnceDeliveriesFlow() {
        var session = openSession()
        #expect(
            session.receive(.subscribe(id: id(1), channel: "news", recover: nil), serverTime: 0) == [
                .authorizeSubscribe(channel: "news")
            ])
        #expect(session.receive(.subscribe(id: id(2), channel: "news", recover: nil), serverTime: 0) == [])
        #expect(session.subscribeVerdict(channel: "news", .success(())) == [.join(channel: "news")])
        #expect(
            session.joined(channel: "news", position: nil, recovery: nil) == [
                .send(.ack(id: id(1), result: .subscribed(Subscription(channel: "news")))),
                .send(.ack(id: id(2), result: .subscribed(Subscription(channel: "news")))),
            ])
        #expect(
            session.receive(.subscribe(id: id(3), channel: "news", recover: nil), serverTime: 0) == [
                .send(.ack(id: id(3), result: .channel("news")))
            ])
        #expect(session.joinedChannels == ["news", "private-user.42", "user.42"])
    }

    @Test func aSubscribeAsksToRecoverAndItsAckCarriesThePositionAndTheOutcome() {
        var session = openSession()
        let position = ChannelPosition(epoch: "e7", offset: 12)
        _ = session.receive(.subscribe(id: id(1), channel: "news", recover: position), serverTime: 0)
        #expect(session.subscribeVerdict(channel: "news", .success(())) == [.join(channel: "news", recover: position)])
        let now = ChannelPosition(epoch: "e7", offset: 20)
        #expect(
            session.joined(channel: "news", position: now, recovery: .recovered) == [
                .send(
                    .ack(
                        id: id(1),
                        result: .subscribed(Subscription(channel: "news", position: now, recovery: .recovered))))
            ])
        // Without recover: the position only.
        _ = session.receive(.subscribe(id: id(2), channel: "sports", recover: nil), serverTime: 0)
        #expect(session.subscribeVerdict(channel: "sports", .success(())) == [.join(channel: "sports", recover: nil)])
        #expect(
            session.joined(channel: "sports", position: now, recovery: nil) == [
                .send(.ack(id: id(2), result: .subscribed(Subscription(channel: "sports", position: now))))
            ])
    }

    @Test func aRecoveryWithoutAnAnswerRefusesTheSubscribe() {
        var session = openSession()
        _ = session.receive(
            .subscribe(id: id(1), channel: "news", recover: ChannelPosition(epoch: "e7", offset: 1)), serverTime: 0)
        _ = session.subscribeVerdict(channel: "news", .success(()))
        #expect(
            session.joinFailed(channel: "news", code: .unavailable, message: "try again") == [
                .leave(channel: "news"), .send(.refused(id: id(1), code: .unavailable, message: "try again")),
            ])
        #expect(!session.isJoined("news"))
    }

    @Test func deniedSubscribeIsRefusedAsUnauthorized() {
        var session = openSession()
        _ = session.receive(.subscribe(id: id(1), channel: "admin.notifications", recover: nil), serverTime: 0)
        let actions = session.subscribeVerdict(
            channel: "admin.notifications", .failure(WireFailure(.permissionDenied, "no rule allows it")))
        #expect(actions == [.send(.refused(id: id(1), code: .permissionDenied, message: "Unauthorized"))])
        #expect(!session.joinedChannels.contains("admin.notifications"))
    }

    @Test func invalidChannelNamesNeverReachTheAuthorizer() {
        var session = openSession()
        let actions = session.receive(.subscribe(id: id(1), channel: "bad channel", recover: nil), serverTime: 0)
        guard case .send(.refused(let refusedID, .invalidPayload, _)) = actions.first, actions.count == 1 else {
            Issue.record("expected one INVALID_PAYLOAD refusal, got \(actions)")
            return
        }
        #expect(refusedID == id(1))
    }

    @Test func unsubscribeLeavesAndAcknowledges() {
        var session = openSession()
        _ = session.receive(.subscribe(id: id(1), channel: "news", recover: nil), serverTime: 0)
        _ = session.subscribeVerdict(channel: "news", .success(()))
        _ = session.joined(channel: "news", position: nil, recovery: nil)
        #expect(
            session.receive(.unsubscribe(id: id(2), channel: "news"), serverTime: 0) == [
                .leave(channel: "news"), .send(.ack(id: id(2), result: .channel("news"))),
            ])
        #expect(
            session.receive(.unsubscribe(id: id(3), channel: "news"), serverTime: 0) == [
                .send(.ack(id: id(3), result: .channel("news")))
            ])
    }

    @Test func unsubscribeWhileJoiningLeavesOnceJoined() {
        var session = openSession()
        _ = session.receive(.subscribe(id: id(1), channel: "news", recover: nil), serverTime: 0)
        _ = session.subscribeVerdict(channel: "news", .success(()))
        #expect(
            session.receive(.unsubscribe(id: id(2), channel: "news"), serverTime: 0) == [
                .send(.ack(id: id(2), result: .channel("news")))
            ])
        #expect(
            session.joined(channel: "news", position: nil, recovery: nil) == [
                .leave(channel: "news"), .send(.ack(id: id(1), result: .subscribed(Subscription(channel: "news")))),
            ])
        #expect(!session.joinedChannels.contains("news"))
    }

    @Test func closingLeavesEveryJoinedChannelOnceAndLateJoinsToo() {
        var session = openSession()
        _ = session.receive(.subscribe(id: id(1), channel: "news", recover: nil), serverTime: 0)
        _ = session.subscribeVerdict(channel: "news", .success(()))
        #expect(session.released() == [.leave(channel: "private-user.42"), .leave(channel: "user.42")])
        #expect(session.released() == [])
        #expect(session.joined(channel: "news", position: nil, recovery: nil) == [.leave(channel: "news")])
    }

    // MARK: Other frames

    @Test func badFramesGetErrorsAndTheConnectionStays() {
        var session = openSession()
        #expect(
            session.receive(.malformed(message: "nope"), serverTime: 0) == [
                .send(.error(code: .invalidPayload, message: "nope"))
            ])
        #expect(session.binaryReceived().count == 1)
        guard
            case .send(.refused(_, .invalidPayload, let message)) = session.receive(
                .unsupported(id: id(9), type: "presence"), serverTime: 0
            ).first
        else {
            Issue.record("unknown commands are refused")
            return
        }
        #expect(message.contains("presence"))
        #expect(session.phase == .open)
    }

    @Test func pingIsAcknowledgedWithTheServerTime() {
        var session = openSession()
        #expect(
            session.receive(.ping(id: id(4)), serverTime: 1234) == [
                .send(.ack(id: id(4), result: .pong(milliseconds: 1234)))
            ])
    }

    @Test func clientCloseIsEchoed() {
        var session = openSession()
        #expect(session.closeReceived(code: 1000) == [.close(.normal, reason: "")])
        #expect(session.closeReceived(code: 1000) == [])
        var other = openSession()
        #expect(other.closeReceived(code: nil) == [.close(.normal, reason: "")])
    }

    // MARK: Heartbeats

    @Test func pingsGoOutEveryInterval() {
        var session = openSession()
        #expect(session.nextWakeup == start + .seconds(25))
        #expect(session.tick(now: start + .seconds(24)) == [])
        #expect(session.tick(now: start + .seconds(25)) == [.ping])
        session.heard(now: start + .seconds(26))
        #expect(session.tick(now: start + .seconds(49)) == [])
        #expect(session.tick(now: start + .seconds(50)) == [.ping])
    }

    @Test func silenceForIntervalPlusTimeoutCloses4008() {
        var session = openSession()
        #expect(session.tick(now: start + .seconds(25)) == [.ping])
        #expect(session.tick(now: start + .seconds(44)) == [])
        #expect(session.nextWakeup == start + .seconds(45))
        #expect(
            session.tick(now: start + .seconds(45)) == [.close(.heartbeatTimeout, reason: "no frame or pong for 45 s")])
        #expect(session.phase == .closed)
        #expect(session.tick(now: start + .seconds(90)) == [])
    }

    @Test func anyFrameKeepsTheConnectionAlive() {
        var session = openSession()
        session.heard(now: start + .seconds(40))
        #expect(session.tick(now: start + .seconds(50)) == [.ping])
        #expect(session.tick(now: start + .seconds(75)) == [.ping])
        #expect(session.tick(now: start + .seconds(84)) == [])
        #expect(session.nextWakeup == start + .seconds(85))
        #expect(
            session.tick(now: start + .seconds(85)) == [.close(.heartbeatTimeout, reason: "no frame or pong for 45 s")])
    }
}
