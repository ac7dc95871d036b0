import HeraldDaemonKit
import Testing

@testable import HeraldEdge

@Suite struct ChannelTableTests {
    private func loops(of channel: String, in table: ChannelTable) -> Set<Int> {
        Set(table.loops(subscribedTo: channel).map(Array.init) ?? [])
    }

    @Test func firstSubscriberAddsInterestAndLastRemovesIt() {
        var table = ChannelTable()
        let added = table.join("news", loop: 0)
        #expect(added?.add.map(\.channel) == ["news"])
        #expect(added?.add.first?.epoch == nil)
        #expect(added?.reset == nil)
        #expect(table.join("news", loop: 1) == nil)
        #expect(table.join("news", loop: 1) == nil)
        #expect(table.subscriptionCount == 3)
        #expect(loops(of: "news", in: table) == [0, 1])
        #expect(table.leave("news", loop: 0) == nil)
        #expect(loops(of: "news", in: table) == [1])
        #expect(table.leave("news", loop: 1) == nil)
        #expect(table.leave("news", loop: 1)?.remove == ["news"])
        #expect(table.channelCount == 0)
        #expect(table.loops(subscribedTo: "news") == nil)
        #expect(table.leave("news", loop: 1) == nil)
    }

    @Test func positionsAdvanceWithDeliveriesWithinAnEpoch() {
        var table = ChannelTable()
        _ = table.join("news", loop: 0)
        table.record(["news": .init(epoch: "e1", offset: 4), "gone": .init(epoch: "e1", offset: 9)])
        #expect(table.position(of: "news") == .init(epoch: "e1", offset: 4))
        #expect(table.position(of: "gone") == nil)
        let forward = table.advance("news", epoch: "e1", offset: 6)
        let backward = table.advance("news", epoch: "e1", offset: 5)
        #expect(forward && backward)
        #expect(table.position(of: "news") == .init(epoch: "e1", offset: 6))
        let newEpoch = table.advance("news", epoch: "e2", offset: 1)
        #expect(newEpoch)
        #expect(table.position(of: "news") == .init(epoch: "e2", offset: 1))
        let unknown = table.advance("other", epoch: "e1", offset: 1)
        #expect(!unknown)
    }

    @Test func restatementResetsAndListsEveryChannelWithItsPosition() {
        var table = ChannelTable()
        #expect(table.restatement() == nil)
        _ = table.join("b", loop: 0)
        _ = table.join("a", loop: 1)
        table.record(["a": .init(epoch: "e7", offset: 12)])
        let restated = table.restatement()
        #expect(restated?.reset == true)
        #expect(restated?.remove == [])
        #expect(
            restated?.add == [
                .init(channel: "a", epoch: "e7", offset: 12), .init(channel: "b", epoch: nil, offset: nil),
            ])
    }

    @Test func leavingForgetsThePosition() {
        var table = ChannelTable()
        _ = table.join("news", loop: 0)
        table.advance("news", epoch: "e1", offset: 3)
        _ = table.leave("news", loop: 0)
        _ = table.join("news", loop: 0)
        #expect(table.position(of: "news") == nil)
    }
}

@Suite struct ChannelTableLaneTests {
    @Test func lanesAreCountedSoEachDeliveryIsEncodedOnlyForLanesInUse() {
        var table = ChannelTable()
        _ = table.join("news", loop: 0, lane: DeliveryLane(0))
        _ = table.join("news", loop: 1, lane: DeliveryLane(2))
        _ = table.join("news", loop: 1, lane: DeliveryLane(2))
        #expect(Set(table.lanes(of: "news").map(Array.init) ?? []) == [DeliveryLane(0), DeliveryLane(2)])
        _ = table.leave("news", loop: 0, lane: DeliveryLane(0))
        #expect(Set(table.lanes(of: "news").map(Array.init) ?? []) == [DeliveryLane(2)])
        _ = table.leave("news", loop: 1, lane: DeliveryLane(2))
        #expect(Set(table.lanes(of: "news").map(Array.init) ?? []) == [DeliveryLane(2)])
        _ = table.leave("news", loop: 1, lane: DeliveryLane(2))
        #expect(table.lanes(of: "news") == nil)
    }
}
