import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldEdge

/// The ways a connection can begin besides the native ones, and subscriptions a protocol grants itself.
@Suite struct SessionCoreStartTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
    let timing = SessionCore.Timing(
        heartbeatInterval: .seconds(25), heartbeatTimeout: .seconds(20), authenticationTimeout: .seconds(10))
    let alice = Principal(userID: "42", roles: ["member"])

    private func id(_ n: Int) -> CommandID { CommandID(json: String(n)) }

    @Test func anAnonymousSessionIsOpenAtOnceAndAsksTheAuthorizerForPublicChannels() {
        var session = SessionCore(connectionID: "1.2", start: .anonymous, timing: timing, now: start)
        #expect(session.phase == .open)
        #expect(session.principal == nil)
        #expect(session.start() == [])
        #expect(
            session.receive(.subscribe(id: id(1), channel: "products", recover: nil), serverTime: 0) == [
                .authorizeSubscribe(channel: "products")
            ])
        // No authentication deadline for a connection that never authenticates.
        #expect(session.nextWakeup == start + .seconds(25))
    }

    @Test func aGrantedJoinSkipsTheAuthorizer() {
        var session = SessionCore(connectionID: "1.2", start: .anonymous, timing: timing, now: start)
        #expect(
            session.receive(.join(id: id(1), channel: "private-orders"), serverTime: 0) == [
                .join(channel: "private-orders")
            ])
        #expect(
            session.joined(channel: "private-orders", position: nil, recovery: nil) == [
                .send(.ack(id: id(1), result: .subscribed(Subscription(channel: "private-orders"))))
            ])
        #expect(session.joinedChannels == ["private-orders"])
    }

    @Test func aRetryingSessionWaitsForAnotherTokenAfterARefusal() {
        var session = SessionCore(connectionID: "1.2", start: .awaitingToken, timing: timing, now: start)
        session.retriesAuthentication = true
        _ = session.receive(.authenticate(token: "bad"), serverTime: 0)
        let refused = session.connectVerdict(
            .failure(WireFailure(.authenticationFailed, "Invalid token")), serverTime: 0)
        #expect(refused == [.send(.error(code: .authenticationFailed, message: "Invalid token"))])
        #expect(session.phase == .awaitingToken)
        #expect(session.receive(.authenticate(token: "good"), serverTime: 0) == [.authorizeConnect(token: "good")])
        #expect(session.connectVerdict(.success(alice), serverTime: 0).first == .opened(alice))
    }

    @Test func personalChannelsCanBeLeftOut() {
        var session = SessionCore(connectionID: "1.2", start: .authenticated(alice), timing: timing, now: start)
        session.joinsPersonalChannels = false
        #expect(
            session.start() == [.opened(alice), .send(.connected(connectionID: "1.2", userID: "42", channels: []))])
    }

    @Test func connectionIDsHaveThePusherSocketIDForm() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let id = ConnectionID.generate(using: &generator)
            #expect(ConnectionID.isValid(id), "\(id)")
        }
        for bad in ["", "1", "1.", ".1", "1.2.3", "a.1", "1.-2", "c_abc", "1 .2"] {
            #expect(!ConnectionID.isValid(bad), "\(bad)")
        }
    }

    @Test func anAnonymousConnectionIsInAnAudienceOnlyWhenItNamesNobody() {
        #expect(Audience().admits(nil, socketID: "1.2"))
        #expect(Audience(excludeUserIDs: ["42"]).admits(nil, socketID: "1.2"))
        #expect(!Audience(excludeSocketID: "1.2").admits(nil, socketID: "1.2"))
        #expect(!Audience(roles: ["admin"]).admits(nil, socketID: "1.2"))
        #expect(!Audience(userIDs: ["42"]).admits(nil, socketID: "1.2"))
    }
}
