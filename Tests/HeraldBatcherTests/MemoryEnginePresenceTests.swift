import HeraldDaemonKit
import HeraldWire
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import HeraldBatcher
@testable import HeraldDaemonKit

/// Presence as the memory engine keeps it for several edges, with a manual clock: the `presence-change` notices
/// each edge following the channel reads, and what the observer (webhooks, online events) hears.
@Suite struct MemoryEnginePresenceTests {
    final class Fixture {
        let loop = EmbeddedEventLoop()
        var now: Int64 = 10_000
        var observed: [PresenceLedger.Change] = []
        var engine: MemoryEngine!
        var channels: [StagePeer: EmbeddedChannel] = [:]

        init() {
            engine = MemoryEngine(
                loop: loop, fanOut: EdgeFanOut { EdgeOutbox(peer: $0, logger: Logger(label: "test")) },
                historyEvents: 10, historySeconds: 60, epoch: "e1", warmUp: .zero, warmUpEvents: 0,
                presenceGraceMilliseconds: 3000, now: { [unowned self] in now })
            engine.presenceObserver = { [unowned self] changes, _ in observed += changes }
        }

        func edge(_ number: Int, following followed: String) -> StagePeer {
            let channel = EmbeddedChannel(loop: loop)
            let peer = StagePeer(
                connectionNumber: number, hello: Hello(stage: "ws-edge", instance: "edge\(number)"), channel: channel)
            channels[peer] = channel
            engine.edgeJoined(peer)
            _ = engine.follow(StageRequests.InterestChange(add: [.init(channel: followed)]), from: peer)
            loop.run()
            return peer
        }

        func join(_ user: String, connection: String, on edge: StagePeer) -> [String] {
            let seat = StageRequests.PresenceSeat(
                channel: "presence-a", connection: connection, member: PresenceMember(userID: user))
            let members = try! engine.presenceJoin(seat, from: edge).wait()
            loop.run()
            return members.map(\.userID)
        }

        func leave(connection: String, on edge: StagePeer) {
            engine.presenceLeave(StageRequests.PresenceSeat(channel: "presence-a", connection: connection), from: edge)
            loop.run()
        }

        func advance(milliseconds: Int64) {
            now += milliseconds
            loop.advanceTime(by: .milliseconds(milliseconds))
        }

        /// The presence notices written to `edge` since the last call, as "join 1" / "leave 1".
        func notices(to edge: StagePeer) throws -> [String] {
            var seen: [String] = []
            while let frame = try channels[edge]!.readOutbound(as: ByteBuffer.self) {
                var buffer = frame
                while buffer.readableBytes > 4, let length = buffer.readInteger(as: UInt32.self),
                    let payload = buffer.readSlice(length: Int(length))
                {
                    guard case .notice(let notice) = try WireMessage.decode(frame: payload) else { continue }
                    let change = try StageRequests.PresenceNotice(params: notice.params)
                    switch change.change {
                    case .added(let member): seen.append("join \(member.userID)")
                    case .removed(let userID): seen.append("leave \(userID)")
                    }
                }
            }
            return seen
        }
    }

    @Test func usersJoinOnceAcrossEdgesAndLeaveOnceAfterTheGrace() throws {
        let fixture = Fixture()
        let one = fixture.edge(1, following: "presence-a")
        let two = fixture.edge(2, following: "presence-a")
        #expect(fixture.join("7", connection: "c1", on: one) == ["7"])
        #expect(fixture.join("7", connection: "c2", on: two) == ["7"])
        #expect(fixture.join("8", connection: "c3", on: two) == ["7", "8"])
        #expect(try fixture.notices(to: one) == ["join 7", "join 8"])
        #expect(try fixture.notices(to: two) == ["join 7", "join 8"])

        fixture.leave(connection: "c1", on: one)
        fixture.leave(connection: "c2", on: two)
        fixture.advance(milliseconds: 2999)
        #expect(try fixture.notices(to: two).isEmpty, "7 is within its grace")
        fixture.advance(milliseconds: 1)
        #expect(try fixture.notices(to: two) == ["leave 7"])
        fixture.advance(milliseconds: 10_000)
        #expect(try fixture.notices(to: two).isEmpty, "a departure is told once")
        #expect(fixture.observed.count == 3)
    }

    @Test func aLostEdgesUsersLeaveAfterTheGraceUnlessTheyComeBack() throws {
        let fixture = Fixture()
        let one = fixture.edge(1, following: "presence-a")
        let two = fixture.edge(2, following: "presence-a")
        _ = fixture.join("7", connection: "c1", on: one)
        _ = fixture.join("8", connection: "c2", on: one)
        _ = try fixture.notices(to: two)

        fixture.engine.edgeLeft(one)
        fixture.advance(milliseconds: 1000)
        // User 7 reconnects through the other edge within the grace; user 8 does not.
        #expect(fixture.join("7", connection: "c9", on: two) == ["7", "8"])
        fixture.advance(milliseconds: 2000)
        #expect(try fixture.notices(to: two) == ["leave 8"])
        #expect(
            try fixture.engine.presenceMembers(of: "presence-a").wait().map(\.userID) == ["7"])
    }
}
