import HeraldEdge
import HeraldModel
import HeraldSocketIO
import HeraldWire
import NIOCore
import Testing

/// A batch reaches Socket.IO clients as its events' packets, each exactly as delivered alone.
@Suite struct SocketBatchTests {
    let allocator = ByteBufferAllocator()

    private func event(_ n: Int, channel: String) -> WireEvent {
        WireEvent(
            id: EventID(uncheckedRawValue: "evt_\(n)"), name: "room.message", channels: [channel],
            timestamp: "2025-07-17T10:30:00Z", priority: .medium, data: ByteBuffer(string: #"{"n":\#(n)}"#),
            offset: Int64(n), epoch: "e1", sequence: Int64(300 + n))
    }

    @Test(arguments: [SocketDeliveryEncoder.Style.main, .roomNamespace])
    func aBatchIsOneWebSocketFramePerPacketInOneBuffer(style: SocketDeliveryEncoder.Style) {
        let encoder = SocketDeliveryEncoder(style: style)
        let events = (1...3).map { event($0, channel: "room.r1") }
        let batch = encoder.frames(for: events, allocator: allocator)
        let alone = events.map { encoder.frame(for: $0, allocator: allocator) }
        #expect(batch == ServerFrame.joined(alone, allocator: allocator))
        let packets = ServerFrame.payloads(of: batch).map { String(buffer: $0) }
        let namespace = style == .main ? "" : "/rooms/r1,"
        #expect(
            packets
                == (1...3).map { n in
                    #"42\#(namespace)["room.message",{"n":\#(n)},{"id":"evt_\#(n)","channel":"room.r1","#
                        + #""timestamp":"2025-07-17T10:30:00Z","priority":"medium","offset":\#(n)},"e1:\#(300 + n)"]"#
                })
    }

    @Test func overLongPollingABatchIsConsecutivePacketsOfOneAnswer() {
        let encoder = SocketDeliveryEncoder(style: .main)
        let events = [event(1, channel: "news"), event(2, channel: "news")]
        let batch = encoder.frames(for: events, allocator: allocator)
        // What a polling session's outlet does with any buffer of frames: each payload is one packet.
        let body = EnginePollingStyle().body(joining: ServerFrame.payloads(of: batch))
        #expect(
            String(buffer: body)
                == #"42["room.message",{"n":1},{"id":"evt_1","channel":"news","timestamp":"2025-07-17T10:30:00Z","#
                + #""priority":"medium","offset":1},"e1:301"]"# + "\u{1E}"
                + #"42["room.message",{"n":2},{"id":"evt_2","channel":"news","timestamp":"2025-07-17T10:30:00Z","#
                + #""priority":"medium","offset":2},"e1:302"]"#)
    }
}
