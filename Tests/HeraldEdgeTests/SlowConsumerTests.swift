import HeraldConfig
import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldEdge

/// A client that stops reading loses low-priority events first and is then closed with 4009, while a client
/// beside it on the same channel gets everything.
@Suite struct SlowConsumerTests {
    static let limit = 1 << 20
    /// Per round: 16 events of 16 KiB, well under half the limit, so a client that keeps reading is never behind.
    static let eventsPerRound = 16
    static let payload = "\"" + String(repeating: "p", count: 16 * 1024) + "\""

    private func event(_ n: Int, priority: Priority) -> WireEvent {
        WireEvent(
            id: EventID(uncheckedRawValue: "evt_\(n)"), name: "bulk.item", channels: ["bulk"],
            timestamp: "2025-07-17T10:30:00Z", priority: priority, data: ByteBuffer(string: Self.payload),
            offset: Int64(n), epoch: "e1")
    }

    /// How many native events a frame carries (one, or a batch's).
    private func eventCount(in frame: TestWebSocketClient.Frame) -> Int {
        frame.text.components(separatedBy: #"{"type":"event","#).count - 1
    }

    @Test func aClientThatStopsReadingLosesLowPriorityEventsFirstThenIsClosedWhileOthersGetEverything()
        async throws
    {
        let configuration = HeraldConfiguration(edge: EdgeConfig(maxPendingBytesPerConnection: Self.limit))
        try await EdgeHarness.with(configuration: configuration) { edge in
            let fast = try await edge.connect()
            let slow = try await edge.connect(receiveBuffer: 4096)
            for (client, user) in [(fast, 1), (slow, 2)] {
                #expect(try await client.upgrade("/ws?token=good-\(user)").status == 101)
                _ = try await client.readText()
                try await client.sendText(#"{"type":"subscribe","id":1,"channel":"bulk"}"#)
                _ = try await client.readText()
            }
            try await slow.stopReading()

            var sent = 0
            var fastReceived = 0
            // One round: the batcher sends it, the fast client reads all of it, and the stats (read on the hub's
            // loop, then on every connection loop) are taken after every loop has handed the round out.
            func round(_ priority: Priority, asBatch: Bool) async throws -> (dropped: Int64, closed: Int64) {
                let events = (1...Self.eventsPerRound).map { event(sent + $0, priority: priority) }
                sent += events.count
                if asBatch {
                    try await edge.batcher.deliver(batch: events)
                } else {
                    try await edge.batcher.deliver(events)
                }
                let expected = sent
                while fastReceived < expected {
                    let frame = try await fast.readFrame()
                    #expect(frame.text.contains(#""id":"evt_\#(fastReceived + 1)""#))
                    fastReceived += eventCount(in: frame)
                }
                let stats = await edge.service.stats()
                return (stats["dropped_slow"]?.intValue ?? -1, stats["closed_slow"]?.intValue ?? -1)
            }

            // Low-priority windows until the slow client is behind and loses some (a few rounds fill its socket).
            var stats = try await round(.low, asBatch: true)
            var rounds = 1
            while stats.dropped == 0, rounds < 64 {
                stats = try await round(.low, asBatch: true)
                rounds += 1
            }
            #expect(stats.dropped > 0)
            #expect(stats.closed == 0)
            // High priority is never dropped: it fills the slow client's buffer past the limit.
            while stats.closed == 0, rounds < 128 {
                stats = try await round(.high, asBatch: false)
                rounds += 1
            }
            #expect(stats.closed == 1)
            #expect(fastReceived == sent)

            try await slow.startReading()
            var slowReceived = 0
            var close: TestWebSocketClient.Frame?
            while close == nil, let frame = try? await slow.readFrame() {
                if frame.opcode == 0x8 { close = frame } else { slowReceived += eventCount(in: frame) }
            }
            #expect(close?.closeCode == CloseCode.slowConsumer.rawValue)
            let reason = close.flatMap {
                $0.payload.getString(at: $0.payload.readerIndex + 2, length: $0.payload.readableBytes - 2)
            }
            #expect(reason == CloseCode.slowConsumerReason)
            #expect(slowReceived + Int(stats.dropped) <= sent)
            #expect(slowReceived < sent)

            // The fast client is still served.
            _ = try await round(.medium, asBatch: false)
            #expect(fastReceived == sent)
            await fast.close()
        }
    }
}
