import HeraldModel
import NIOCore
import Testing

@testable import HeraldEdge

@Suite struct SessionCoreSubscribeTokenTests {
    @Test func aSubscriptionTokenGoesToTheAuthorizerWithTheQuestion() {
        var session = SessionCore(
            connectionID: "c_1", principal: Principal(userID: "42"), timing: .init(),
            now: .uptimeNanoseconds(1_000_000_000))
        _ = session.start()
        let actions = session.receive(
            .subscribe(id: CommandID(json: "1"), channel: "room.5", recover: nil, token: "a.b.c"), serverTime: 0)
        #expect(actions == [.authorizeSubscribe(channel: "room.5", token: "a.b.c")])
    }
}
