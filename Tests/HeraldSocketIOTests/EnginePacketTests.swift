import HeraldSocketIO
import NIOCore
import Testing

@Suite("Engine.IO packets")
struct EnginePacketTests {
    @Test(arguments: [
        ("0", EnginePacketType.open, ""), ("1", .close, ""), ("2", .ping, ""), ("2probe", .ping, "probe"),
        ("3probe", .pong, "probe"), ("4hello", .message, "hello"),
        (#"42["hey","Jude"]"#, .message, #"2["hey","Jude"]"#),
        ("5", .upgrade, ""), ("6", .noop, ""),
    ])
    func decodesAndEncodesTextPackets(text: String, type: EnginePacketType, data: String) throws {
        let packet = try EnginePacket.decode(text: ByteBuffer(string: text))
        #expect(packet == EnginePacket(type, data: ByteBuffer(string: data)))
        var encoded = ByteBuffer()
        encoded.writeEnginePacket(packet)
        #expect(String(buffer: encoded) == text)
    }

    @Test func dataIsASliceOfTheInput() throws {
        let input = ByteBuffer(string: #"42["a"]"#)
        let packet = try EnginePacket.decode(text: input.getSlice(at: 0, length: input.readableBytes)!)
        #expect(packet.data.readableBytes == 6)
        #expect(String(buffer: packet.data) == #"2["a"]"#)
    }

    @Test(arguments: [
        ("", EngineIOError.emptyPacket()),
        ("7", .unknownPacketType(UInt8(ascii: "7"))),
        ("abc", .unknownPacketType(UInt8(ascii: "a"))),
        ("\u{1E}4", .unknownPacketType(0x1E)),
        ("bAQIDBA==", .binaryNotSupported()),
    ])
    func refusesMalformedPackets(text: String, error: EngineIOError) {
        #expect(throws: error) { try EnginePacket.decode(text: ByteBuffer(string: text)) }
    }

    @Test func refusesBinaryFrames() {
        #expect(throws: EngineIOError.binaryNotSupported()) {
            try EnginePacket.decode(binary: ByteBuffer(bytes: [1, 2, 3, 4]))
        }
    }

    @Test func errorsExplainThemselves() {
        #expect(EngineIOError.unknownPacketType(0x07).message.contains("0x07"))
        #expect(EngineIOError.unknownPacketType(UInt8(ascii: "a")).message.contains("\"a\""))
        #expect(EngineIOError.payloadTooLarge(limit: 100).message.contains("100-byte maxPayload"))
    }

    @Test func openPacketWritesWholeMilliseconds() {
        var buffer = ByteBuffer()
        buffer.writeEngineOpenPacket(
            EngineHandshake(
                sid: "s\"1", upgrades: [], pingInterval: .milliseconds(1500), pingTimeout: .microseconds(2500),
                maxPayload: 64))
        #expect(
            String(buffer: buffer)
                == #"0{"sid":"s\"1","upgrades":[],"pingInterval":1500,"pingTimeout":2,"maxPayload":64}"#)
    }
}
