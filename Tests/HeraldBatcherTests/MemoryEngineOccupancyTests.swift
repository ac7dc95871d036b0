import HeraldDaemonKit
import HeraldWire
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import HeraldBatcher
@testable import HeraldDaemonKit

/// `channel_occupied` and `channel_vacated` as the memory engine reports them from the edges' interest: a
/// channel's first edge, its last, a restatement, and a lost edge's grace, with a manual clock.
@Suite struct MemoryEngineOccupancyTests {
    final class Fixture {
        let loop = EmbeddedEventLoop()
        var now: Int64 = 1_000
        var reported: [ChannelOccupancy.Change] = []
        var engine: MemoryEngine!

        init() {
            engine = MemoryEngine(
                loop: loop, fanOut: EdgeFanOut { EdgeOutbox(peer: $0, logger: Logger(label: "test")) },
                historyEvents: 10, historySeconds: 60, epoch: "e1", warmUp: .zero, warmUpEvents: 0,
                lostEdgeGrace: .seconds(3), now: { [unowned self] in now })
            engine.occupancyChanged = { [unowned self] in reported += $0 }
        }

        func edge(_ number: Int) -> StagePeer {
            let peer = StagePeer(
                connectionNumber: number, hello: Hello(stage: "ws-edge", instance: "edge\(number)"),
                channel: EmbeddedChannel(loop: loop))
            engine.edgeJoined(peer)
            return peer
        }

        func follow(_ edge: StagePeer, add: [String] = [], remove: [String] = [], reset: Bool? = nil) {
            _ = engine.follow(
                StageRequests.InterestChange(reset: reset, add: add.map { .init(channel: $0) }, remove: remove),
                from: edge)
            loop.run()
        }

        func advance(milliseconds: Int64) {
            now += milliseconds
            loop.advanceTime(by: .milliseconds(milliseconds))
        }

        func take() -> [ChannelOccupancy.Change] {
            defer { reported = [] }
            return reported
        }
    }

    @Test func theFirstEdgeOccupiesAndTheLastVacates() {
        let fixture = Fixture()
        let one = fixture.edge(1)
        let two = fixture.edge(2)
        fixture.follow(one, add: ["a"])
        #expect(fixture.take() == [.occupied("a")])
        fixture.follow(two, add: ["a"])
        fixture.follow(one, add: ["a"])
        fixture.follow(one, remove: ["a"])
        #expect(fixture.take().isEmpty, "edge two still follows a")
        fixture.follow(one, remove: ["a"])
        #expect(fixture.take().isEmpty, "a repeated remove changes nothing")
        fixture.follow(two, remove: ["a"])
        #expect(fixture.take() == [.vacated("a")])
    }

    @Test func aRestatementReportsOnlyWhatChanged() {
        let fixture = Fixture()
        let one = fixture.edge(1)
        fixture.follow(one, add: ["a", "b"])
        _ = fixture.take()
        fixture.follow(one, add: ["a", "c"], reset: true)
        #expect(fixture.take() == [.vacated("b"), .occupied("c")])
    }

    @Test func aLostEdgesChannelsAreVacatedAfterTheGraceUnlessRestated() {
        let fixture = Fixture()
        let one = fixture.edge(1)
        fixture.follow(one, add: ["a", "b"])
        _ = fixture.take()
        fixture.engine.edgeLeft(one)
        #expect(fixture.take().isEmpty)
        fixture.advance(milliseconds: 1_000)
        let again = fixture.edge(3)
        fixture.follow(again, add: ["a"], reset: true)
        #expect(fixture.take().isEmpty, "the edge came back within the grace and restated a")
        fixture.advance(milliseconds: 1_999)
        #expect(fixture.take().isEmpty)
        fixture.advance(milliseconds: 1)
        #expect(fixture.take() == [.vacated("b")])
        fixture.advance(milliseconds: 60_000)
        #expect(fixture.take().isEmpty)
    }
}
