import HeraldModel
import HeraldWire
import NIOCore
import Testing

/// How a sender packs encoded events into frames: `writeEventFrames` must give exactly the frames of the
/// `event` and `events` messages, split by count and by size.
@Suite("Event frames")
struct EventFramesTests {
    func event(_ n: Int, dataBytes: Int = 8) -> WireEvent {
        WireEvent(
            id: EventID(uncheckedRawValue: "evt_\(n)"), name: "test.event", channels: ["thread.1"],
            timestamp: "2025-07-17T10:30:00Z", priority: .high,
            data: ByteBuffer(string: "\"" + String(repeating: "x", count: dataBytes) + "\""))
    }

    func encoded(_ events: [WireEvent]) -> [ByteBuffer] {
        events.map { event in
            var buffer = ByteBuffer()
            buffer.writeWireEvent(event)
            return buffer
        }
    }

    func messages(in frames: ByteBuffer) throws -> [WireMessage] {
        var frames = frames
        var messages: [WireMessage] = []
        while let length = frames.readInteger(as: UInt32.self) {
            let slice = frames.readSlice(length: Int(length))
            let payload = try #require(slice)
            #expect(payload.readableBytes <= WireProtocol.maximumFrameBytes)
            messages.append(try WireMessage.decode(frame: payload))
        }
        #expect(frames.readableBytes == 0)
        return messages
    }

    @Test func aLoneEventIsAnEventFrame() throws {
        var packed = ByteBuffer()
        let frames = packed.writeEventFrames(encoded([event(1)]))
        #expect(frames == 1)
        var expected = ByteBuffer()
        expected.writeWireFrame(.event(event(1)))
        #expect(packed == expected)
    }

    @Test func severalEventsAreOneEventsFrameWithTheMessagesExactBytes() throws {
        let events = (1...3).map { event($0) }
        var packed = ByteBuffer()
        let frames = packed.writeEventFrames(encoded(events))
        #expect(frames == 1)
        var expected = ByteBuffer()
        expected.writeWireFrame(.events(events))
        #expect(packed == expected)
    }

    @Test func nothingToSendWritesNothing() {
        var packed = ByteBuffer()
        let frames = packed.writeEventFrames([ByteBuffer]())
        #expect(frames == 0)
        #expect(packed.readableBytes == 0)
    }

    @Test func framesHoldAtMostTheMaximumCountInOrder() throws {
        let count = ByteBuffer.eventsFrameMaximumCount + 1
        let events = (1...count).map { event($0) }
        var packed = ByteBuffer()
        let frames = packed.writeEventFrames(encoded(events))
        #expect(frames == 2)
        let messages = try messages(in: packed)
        #expect(messages == [.events(Array(events.dropLast())), .event(events[count - 1])])
    }

    @Test func framesStayNearTheTargetSizeAndABigEventGoesAlone() throws {
        let big = ByteBuffer.eventsFrameTargetBytes / 2 + 1
        let events = [event(1, dataBytes: big), event(2), event(3, dataBytes: big), event(4, dataBytes: 1_200_000)]
        var packed = ByteBuffer()
        let frames = packed.writeEventFrames(encoded(events))
        #expect(frames == 3)
        #expect(try messages(in: packed) == [.events([events[0], events[1]]), .event(events[2]), .event(events[3])])
    }
}
