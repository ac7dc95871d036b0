import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldEdge

/// A batcher window's flush reaches a native client as one `{"type":"batch",…}` frame.
@Suite struct BatchDeliveryTests {
    private func event(_ id: String, offset: Int64, priority: Priority = .medium, audience: Audience = Audience())
        -> WireEvent
    {
        WireEvent(
            id: EventID(uncheckedRawValue: id), name: "news.posted", channels: ["news"],
            timestamp: "2025-07-17T10:30:00Z", priority: priority, audience: audience,
            data: ByteBuffer(string: #"{"n":\#(offset)}"#), offset: offset, epoch: "e1", sequence: 100 + offset)
    }

    private func envelope(_ id: String, offset: Int64, priority: String = "medium") -> String {
        #"{"type":"event","id":"\#(id)","event":"news.posted","channel":"news","timestamp":"2025-07-17T10:30:00Z","#
            + #""priority":"\#(priority)","data":{"n":\#(offset)},"offset":\#(offset),"epoch":"e1"}"#
    }

    @Test func aBatchIsOneFrameWithTheEventsInOrderLessDuplicatesAndOthersEvents() async throws {
        try await EdgeHarness.with { edge in
            let client = try await edge.connect()
            #expect(try await client.upgrade("/ws?token=good-42").status == 101)
            _ = try await client.readText()
            try await client.sendText(#"{"type":"subscribe","id":1,"channel":"news"}"#)
            _ = try await client.readText()
            _ = try await edge.nextInterestChange { $0.add.contains { $0.channel == "news" } }

            try await edge.batcher.deliver([event("evt_1", offset: 1)])
            #expect(try await client.readText() == envelope("evt_1", offset: 1))

            try await edge.batcher.deliver(batch: [
                event("evt_1", offset: 1), event("evt_2", offset: 2),
                event("evt_3", offset: 3, audience: Audience(userIDs: ["99"])),
                event("evt_4", offset: 4, priority: .low),
            ])
            #expect(
                try await client.readText()
                    == #"{"type":"batch","events":["# + envelope("evt_2", offset: 2) + ","
                    + envelope("evt_4", offset: 4, priority: "low") + "]}")

            // Everything in the batch was seen: resent, it is dropped whole; the next batch follows at once and
            // moves the channel's position to its last event.
            try await edge.batcher.deliver(batch: [event("evt_2", offset: 2), event("evt_4", offset: 4)])
            try await edge.batcher.deliver(batch: [event("evt_5", offset: 5)])
            #expect(try await client.readText() == #"{"type":"batch","events":["# + envelope("evt_5", offset: 5) + "]}")

            let stats = await edge.service.stats()
            #expect(stats["batches"] == .int(2))
            #expect(stats["deliveries"] == .int(5))
            #expect(stats["duplicates_dropped"] == .int(3))
            #expect(stats["frames_out"] == .int(3))

            try await edge.batcher.dropEdge()
            let restated = try await edge.nextInterestChange { $0.reset == true }
            #expect(restated.add.contains(.init(channel: "news", epoch: "e1", offset: 5)))
            await client.close()
        }
    }
}
