import HeraldModel
import HeraldSocketIO
import HeraldWire
import NIOCore
import Testing

@Suite("Socket.IO packet encoding")
struct SocketPacketEncodingTests {
    @Test(arguments: EncoderGolden.all)
    func writesGoldenText(golden: EncoderGolden) {
        var buffer = ByteBuffer()
        golden.write(&buffer)
        #expect(String(buffer: buffer) == golden.text)
    }

    @Test(arguments: EncoderGolden.all)
    func returnsTheBytesWritten(golden: EncoderGolden) {
        var buffer = ByteBuffer(string: "prefix")
        golden.write(&buffer)
        #expect(buffer.readableBytes == 6 + golden.text.utf8.count)
    }

    /// Every Socket.IO packet Herald writes is one it accepts back, through the Engine.IO layer.
    @Test(arguments: EncoderGolden.all.filter { $0.text.hasPrefix("4") })
    func decodesWhatItWrites(golden: EncoderGolden) throws {
        var buffer = ByteBuffer()
        golden.write(&buffer)
        let engine = try EnginePacket.decode(text: buffer)
        #expect(engine.type == .message)
        _ = try SocketPacket.decode(engine.data)
    }

    @Test func eventsRoundTrip() throws {
        var buffer = ByteBuffer()
        let arguments = [#"{"x":[1,2]}"#, #""\"quoted\"""#, "-1.5e3", "true"].map { ByteBuffer(string: $0) }
        let namespace = try #require(SocketNamespace("/rooms/r1"))
        buffer.writeSocketEvent(name: "line\nbreak", arguments: arguments, namespace: namespace, ackID: SocketAckID(7))
        let engine = try EnginePacket.decode(text: buffer)
        guard case .event(let event) = try SocketPacket.decode(engine.data) else {
            Issue.record("not an EVENT")
            return
        }
        #expect(event.name == "line\nbreak")
        #expect(event.namespace == namespace)
        #expect(event.ackID == SocketAckID(7))
        #expect(event.arguments.map(\.raw) == arguments)
    }

    @Test func emptyArgumentsAreWrittenAsNull() {
        var buffer = ByteBuffer()
        buffer.writeSocketEvent(name: "e", arguments: [ByteBuffer()])
        buffer.writeSocketAck(ackID: SocketAckID(1)!, arguments: [ByteBuffer(), ByteBuffer(string: "2")])
        #expect(String(buffer: buffer) == #"42["e",null]431[null,2]"#)
    }

    @Test func connectAnswerCarriesTheRecoveryPID() throws {
        var buffer = ByteBuffer()
        buffer.writeSocketConnect(sid: "s1", pid: "p1")
        let engine = try EnginePacket.decode(text: buffer)
        guard case .connect(let connect) = try SocketPacket.decode(engine.data) else {
            Issue.record("not a CONNECT")
            return
        }
        #expect(connect.pid == "p1")
        #expect(try connect.auth?.object()["sid"]?.value.string == "s1")
    }

    @Test func deliveryDecodesToTheEventAndItsMeta() throws {
        var buffer = ByteBuffer()
        buffer.writeSocketDelivery(EncoderGolden.lowStock)
        let engine = try EnginePacket.decode(text: buffer)
        guard case .event(let event) = try SocketPacket.decode(engine.data) else {
            Issue.record("not an EVENT")
            return
        }
        #expect(event.name == "inventory:low_stock")
        #expect(event.arguments.count == 2)
        #expect(event.arguments[0].raw == EncoderGolden.lowStock.data)
        let meta = try event.arguments[1].object()
        #expect(meta["id"]?.value.string == "evt_01J2ZK9A1B2C3D4E5F6G7H8J9K")
        #expect(meta["channel"]?.value.string == "inventory")
        #expect(meta["priority"]?.value.string == "high")
        #expect(meta["offset"]?.value.int64 == 42)
    }

    @Test func deliveryOfAnEventWithoutChannelsSaysNull() {
        var event = EncoderGolden.chatMessage
        event.channels = []
        event.userID = nil
        event.priority = .low
        var buffer = ByteBuffer()
        buffer.writeSocketDelivery(event)
        #expect(
            String(buffer: buffer)
                == #"42["chat.message",null,{"id":"evt_01J2ZKC0MM3NT","channel":null,"#
                + #""timestamp":"2025-07-17T10:32:00Z","priority":"low"}]"#)
    }
}
