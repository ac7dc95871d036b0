import HeraldModel
import HeraldWire
import NIOCore
import NIOEmbedded
import Testing

@testable import HeraldEdge

/// One loop's fan-out: parts of batches per audience, drops and cut-offs per backlog, and held channels.
@Suite struct LoopShardTests {
    final class RecordingOutlet: ConnectionOutlet {
        var writes: [ByteBuffer] = []
        var flushes = 0
        var backlog = OutboundBacklog.clear
        func write(_ frame: ByteBuffer) { writes.append(frame) }
        func flush() { flushes += 1 }
        func close(code: CloseCode, reason: String) {}

        /// Each write's event ids.
        var ids: [[String]] { writes.map { ServerFrame.payloads(of: $0).map { String(buffer: $0) } } }
    }

    let loop = EmbeddedEventLoop()
    let encoder = IDEncoder()
    let lane = DeliveryLane(0)

    private func connect(
        _ id: String, _ principal: Principal?, to shard: LoopShard, channels: [String] = ["news"]
    ) -> (EdgeConnection, RecordingOutlet) {
        let connection = EdgeConnection(id: id, loopIndex: 0, loop: loop)
        let outlet = RecordingOutlet()
        connection.outlet = outlet
        connection.principal = principal
        connection.receivesDeliveries = true
        shard.register(connection)
        for channel in channels { shard.add(connection, to: channel, lane: lane) }
        return (connection, outlet)
    }

    /// Completes every connection's `ended` promise, as a closed transport would.
    private func end(_ shard: LoopShard) {
        for connection in shard.connections { connection.markEnded() }
    }

    private func batch(_ events: [WireEvent], channel: String = "news") -> Delivery {
        Delivery(
            batch: events, channel: channel, lanes: [lane], encoders: [encoder], allocator: ByteBufferAllocator())
    }

    @Test func eachConnectionGetsItsPartOfABatchInOneWriteAndOneFlush() {
        let shard = LoopShard(loop: loop, index: 0)
        defer { end(shard) }
        let (_, everything) = connect("c1", Principal(userID: "1", roles: ["admin"]), to: shard)
        let (_, firstAdmin) = connect("c2", Principal(userID: "2", roles: ["admin"]), to: shard)
        let (_, secondAdmin) = connect("c3", Principal(userID: "3", roles: ["admin"]), to: shard)
        let (_, outsider) = connect("c4", Principal(userID: "4"), to: shard)
        let delivery = batch([
            fanOutEvent("evt_1", audience: Audience(roles: ["admin"])),
            fanOutEvent("evt_2", audience: Audience(userIDs: ["1"])),
            fanOutEvent("evt_3", audience: Audience(roles: ["admin"])),
        ])
        shard.deliver([delivery])

        #expect(everything.ids == [["evt_1", "evt_2", "evt_3"]])
        #expect(firstAdmin.ids == [["evt_1", "evt_3"]])
        #expect(secondAdmin.ids == [["evt_1", "evt_3"]])
        #expect(outsider.writes.isEmpty)
        #expect([everything.flushes, firstAdmin.flushes, secondAdmin.flushes, outsider.flushes] == [1, 1, 1, 0])
        // The whole batch when it was made, then the admins' part once for both.
        #expect(encoder.batchesEncoded == [["evt_1", "evt_2", "evt_3"], ["evt_1", "evt_3"]])
        #expect(shard.framesOut == 3)
    }

    @Test func aConnectionThatIsBehindLosesDroppableEventsAndOneOverItsLimitIsCutOff() {
        let shard = LoopShard(loop: loop, index: 0)
        defer { end(shard) }
        let (_, fast) = connect("c1", nil, to: shard)
        let (_, behind) = connect("c2", nil, to: shard)
        let (slow, over) = connect("c3", nil, to: shard)
        behind.backlog = .behind
        over.backlog = .over
        var closes: [CloseCode] = []
        slow.terminate = { code, _ in closes.append(code) }

        let window = batch([fanOutEvent("evt_m", priority: .medium), fanOutEvent("evt_l", priority: .low)])
        shard.deliver([
            window, batch([fanOutEvent("evt_low", priority: .low)]), batch([fanOutEvent("evt_high")]),
        ])

        #expect(fast.ids == [["evt_m", "evt_l"], ["evt_low"], ["evt_high"]])
        #expect(behind.ids == [["evt_m"], ["evt_high"]])
        #expect(over.writes.isEmpty)
        #expect(closes == [.slowConsumer])
        #expect(!slow.receivesDeliveries)
        #expect(shard.droppedSlow == 2)
        #expect(shard.closedSlow == 1)
    }

    @Test func aConnectionLeftOverItsLimitAfterTheFlushIsCutOffOnce() {
        final class FillingOutlet: ConnectionOutlet {
            var written = 0
            var backlog: OutboundBacklog { written > 1 ? .over : .clear }
            func write(_ frame: ByteBuffer) { written += 1 }
            func flush() {}
            func close(code: CloseCode, reason: String) {}
        }
        let shard = LoopShard(loop: loop, index: 0)
        defer { end(shard) }
        let (connection, _) = connect("c1", nil, to: shard)
        let outlet = FillingOutlet()
        connection.outlet = outlet
        var closes: [(CloseCode, String)] = []
        connection.terminate = { closes.append(($0, $1)) }
        shard.deliver([batch([fanOutEvent("evt_1")]), batch([fanOutEvent("evt_2")])])
        shard.deliver([batch([fanOutEvent("evt_3")])])
        #expect(outlet.written == 2)
        #expect(closes.map(\.0) == [.slowConsumer])
        #expect(closes.first?.1.contains("reconnect") == true)
        #expect(shard.closedSlow == 1)
    }

    @Test func aHeldChannelKeepsItsDeliveriesInsteadOfWritingThem() {
        let shard = LoopShard(loop: loop, index: 0)
        defer { end(shard) }
        let (connection, outlet) = connect("c1", nil, to: shard, channels: ["news", "sports"])
        connection.heldChannels["news"] = []
        let first = fanOutEvent("evt_1")
        let held = Delivery(
            channel: "news", audience: Audience(), frames: [encoder.frame(for: first, allocator: .init())],
            events: [first])
        let window = batch([fanOutEvent("evt_2"), fanOutEvent("evt_3", priority: .low)])
        shard.deliver([held, batch([fanOutEvent("evt_s", channel: "sports")], channel: "sports"), window])

        #expect(outlet.ids == [["evt_s"]])
        let kept = connection.heldChannels["news"] ?? []
        #expect(kept.map { $0.events.map(\.id.rawValue) } == [["evt_1"], ["evt_2", "evt_3"]])
        #expect(shard.framesOut == 1)

        connection.heldChannels["news"] = nil
        shard.deliver([batch([fanOutEvent("evt_4")])])
        #expect(outlet.ids == [["evt_s"], ["evt_4"]])
    }
}
