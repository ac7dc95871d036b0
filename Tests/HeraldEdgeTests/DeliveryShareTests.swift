import HeraldModel
import HeraldWire
import NIOCore
import Synchronization
import Testing

@testable import HeraldEdge

/// Frames whose payload is the event id (`evt_1`), batches as consecutive frames; counts what it encodes.
final class IDEncoder: DeliveryEncoder {
    private let encoded = Mutex<[[String]]>([])

    /// Every `frames(for:)` call's event ids, in order.
    var batchesEncoded: [[String]] { encoded.withLock { $0 } }

    func frame(for event: WireEvent, allocator: ByteBufferAllocator) -> ByteBuffer {
        ServerFrame.text(allocator: allocator) { $0.writeString(event.id.rawValue) }
    }

    func frames(for batch: [WireEvent], allocator: ByteBufferAllocator) -> ByteBuffer {
        encoded.withLock { $0.append(batch.map(\.id.rawValue)) }
        return ServerFrame.joined(batch.map { frame(for: $0, allocator: allocator) }, allocator: allocator)
    }
}

func fanOutEvent(
    _ id: String, channel: String = "news", priority: Priority = .high, collapseKey: String? = nil,
    audience: Audience = Audience()
) -> WireEvent {
    WireEvent(
        id: EventID(uncheckedRawValue: id), name: "news.posted", channels: [channel],
        timestamp: "2025-07-17T10:30:00Z", priority: priority, audience: audience, collapseKey: collapseKey,
        data: ByteBuffer(string: "1"), offset: 1, epoch: "e1")
}

/// What one connection gets of a delivery: by audience, then by how far behind it is.
@Suite struct DeliveryShareTests {
    let encoder = IDEncoder()
    let member = Principal(userID: "1", roles: ["member"])
    let admin = Principal(userID: "2", roles: ["admin"])

    private func batch(_ events: [WireEvent]) -> Delivery {
        Delivery(
            batch: events, channel: "news", lanes: [DeliveryLane(0)], encoders: [encoder],
            allocator: ByteBufferAllocator())
    }

    private func single(_ event: WireEvent) -> Delivery {
        Delivery(channel: "news", audience: event.audience, frames: [ByteBuffer()], events: [event])
    }

    private func part(_ indices: [Int], of count: Int) -> DeliveryShare.Portion {
        var selection = BatchSelection(none: count)
        for index in indices { selection.insert(index) }
        return .part(selection)
    }

    @Test func theBacklogIsBehindPastHalfTheLimitAndOverPastIt() {
        #expect(OutboundBacklog(pendingBytes: 0, limit: 100) == .clear)
        #expect(OutboundBacklog(pendingBytes: 50, limit: 100) == .clear)
        #expect(OutboundBacklog(pendingBytes: 51, limit: 100) == .behind)
        #expect(OutboundBacklog(pendingBytes: 100, limit: 100) == .behind)
        #expect(OutboundBacklog(pendingBytes: 101, limit: 100) == .over)
    }

    @Test func aConnectionThatIsBehindLosesLowPriorityAndCoalescibleEventsOnly() {
        let low = single(fanOutEvent("evt_low", priority: .low))
        let collapsing = single(fanOutEvent("evt_k", priority: .medium, collapseKey: "views"))
        let medium = single(fanOutEvent("evt_m", priority: .medium))
        for delivery in [low, collapsing] {
            #expect(delivery.mayDrop)
            #expect(delivery.share(for: member, socketID: "c1", backlog: .clear) == .whole)
            #expect(
                delivery.share(for: member, socketID: "c1", backlog: .behind)
                    == DeliveryShare(portion: .nothing, dropped: 1))
            #expect(delivery.share(for: member, socketID: "c1", backlog: .over) == .nothing)
        }
        #expect(!medium.mayDrop)
        #expect(medium.share(for: member, socketID: "c1", backlog: .behind) == .whole)
        #expect(medium.share(for: member, socketID: "c1", backlog: .over) == .nothing)

        let presence = Delivery(channel: "news", audience: Audience(excludeSocketID: "c1"), frames: [ByteBuffer()])
        #expect(!presence.mayDrop)
        #expect(presence.share(for: member, socketID: "c2", backlog: .behind) == .whole)
        #expect(presence.share(for: member, socketID: "c1", backlog: .clear) == .nothing)
    }

    @Test func anEventOutsideTheAudienceIsNotCountedAsDropped() {
        let hidden = single(fanOutEvent("evt_h", priority: .low, audience: Audience(userIDs: ["9"])))
        #expect(hidden.share(for: member, socketID: "c1", backlog: .behind) == .nothing)
    }

    @Test func aBatchForOneAudienceIsSharedWholeAndNeedsNoParts() {
        let same = batch([fanOutEvent("evt_1"), fanOutEvent("evt_2")])
        #expect(same.parts == nil)
        #expect(!same.mayDrop)
        #expect(same.share(for: nil, socketID: "c1", backlog: .behind) == .whole)

        let staff = Audience(roles: ["admin"])
        let restricted = batch([fanOutEvent("evt_1", audience: staff), fanOutEvent("evt_2", audience: staff)])
        #expect(restricted.parts == nil)
        #expect(restricted.audience == staff)
        #expect(restricted.share(for: admin, socketID: "c1", backlog: .clear) == .whole)
        #expect(restricted.share(for: member, socketID: "c1", backlog: .clear) == .nothing)

        let allLow = batch([fanOutEvent("evt_1", priority: .low), fanOutEvent("evt_2", priority: .low)])
        #expect(allLow.parts == nil)
        #expect(
            allLow.share(for: nil, socketID: "c1", backlog: .behind) == DeliveryShare(portion: .nothing, dropped: 2))
    }

    @Test func eachConnectionGetsTheEventsItsAudienceAdmits() throws {
        let mixed = batch([
            fanOutEvent("evt_all"),
            fanOutEvent("evt_user1", audience: Audience(userIDs: ["1"])),
            fanOutEvent("evt_admins", audience: Audience(roles: ["admin"])),
            fanOutEvent("evt_others", audience: Audience(excludeSocketID: "c1")),
        ])
        let parts = try #require(mixed.parts)
        #expect(parts.audiences.count == 4)
        #expect(mixed.share(for: member, socketID: "c1", backlog: .clear).portion == part([0, 1], of: 4))
        #expect(mixed.share(for: admin, socketID: "c2", backlog: .clear).portion == part([0, 2, 3], of: 4))
        #expect(mixed.share(for: nil, socketID: "c3", backlog: .clear).portion == part([0, 3], of: 4))
        let both = Principal(userID: "1", roles: ["admin"])
        #expect(mixed.share(for: both, socketID: "c4", backlog: .clear) == .whole)

        let none = batch([
            fanOutEvent("evt_a", audience: Audience(userIDs: ["7"])),
            fanOutEvent("evt_b", audience: Audience(userIDs: ["8"])),
        ])
        #expect(none.share(for: member, socketID: "c1", backlog: .clear) == .nothing)
    }

    @Test func behindABatchKeepsItsEssentialEventsThatTheAudienceAdmits() {
        let window = batch([
            fanOutEvent("evt_m1", priority: .medium),
            fanOutEvent("evt_low", priority: .low),
            fanOutEvent("evt_key", priority: .medium, collapseKey: "count"),
            fanOutEvent("evt_m2", priority: .medium, audience: Audience(userIDs: ["1"])),
            fanOutEvent("evt_low1", priority: .low, audience: Audience(userIDs: ["1"])),
        ])
        #expect(window.mayDrop)
        #expect(window.share(for: member, socketID: "c1", backlog: .clear) == .whole)
        #expect(
            window.share(for: member, socketID: "c1", backlog: .behind)
                == DeliveryShare(portion: part([0, 3], of: 5), dropped: 3))
        #expect(
            window.share(for: admin, socketID: "c2", backlog: .behind)
                == DeliveryShare(portion: part([0], of: 5), dropped: 2))
        #expect(window.share(for: admin, socketID: "c2", backlog: .over) == .nothing)
    }

    @Test func eachPartIsEncodedOncePerLaneAndShared() throws {
        let mixed = batch([
            fanOutEvent("evt_1"), fanOutEvent("evt_2", audience: Audience(userIDs: ["1"])), fanOutEvent("evt_3"),
        ])
        let parts = try #require(mixed.parts)
        var selection = BatchSelection(none: 3)
        selection.insert(0)
        selection.insert(2)
        #expect(mixed.share(for: admin, socketID: "c2", backlog: .clear).portion == .part(selection))
        let first = parts.frames(for: selection, lane: DeliveryLane(0))
        let again = parts.frames(for: selection, lane: DeliveryLane(0))
        #expect(ServerFrame.payloads(of: first).map { String(buffer: $0) } == ["evt_1", "evt_3"])
        #expect(again == first)
        #expect(encoder.batchesEncoded == [["evt_1", "evt_2", "evt_3"], ["evt_1", "evt_3"]])
    }

    @Test func selectionsBeyondSixtyFourEvents() {
        var selection = BatchSelection(none: 200)
        for index in [0, 63, 64, 127, 128, 199] { selection.insert(index) }
        #expect(selection.indices == [0, 63, 64, 127, 128, 199])
        #expect(selection.selectedCount == 6)
        var odd = BatchSelection(none: 200)
        for index in stride(from: 1, to: 200, by: 2) { odd.insert(index) }
        selection.formIntersection(odd)
        #expect(selection.indices == [63, 127, 199])
        #expect(BatchSelection.all(200).isAll)
        #expect(BatchSelection(none: 200).isEmpty)
        #expect(!selection.isEmpty && !selection.isAll)
    }
}
