import HeraldSocketIO
import NIOCore
import Testing

@Suite("Engine.IO polling payloads")
struct EnginePayloadTests {
    private static func packets(_ text: String, maxPayload: Int = 1_000_000) throws -> [String] {
        var result: [String] = []
        for packet in try EnginePayload.decode(ByteBuffer(string: text), maxPayload: maxPayload) {
            var buffer = ByteBuffer()
            buffer.writeEnginePacket(packet)
            result.append(String(buffer: buffer))
        }
        return result
    }

    @Test func splitsTheSpecificationExample() throws {
        let decoded = try EnginePayload.decode(ByteBuffer(string: "4hello\u{1E}2\u{1E}4world"), maxPayload: 100)
        #expect(
            decoded == [
                EnginePacket(.message, data: ByteBuffer(string: "hello")), EnginePacket(.ping),
                EnginePacket(.message, data: ByteBuffer(string: "world")),
            ])
    }

    @Test(arguments: [
        "4hello\u{1E}2\u{1E}4world", #"42["hello"]"# + "\u{1E}" + #"42["world"]"#, "6", "1",
        "40\u{1E}" + #"42["a",{"b":"\u001e"}]"#,
    ])
    func roundTrips(text: String) throws {
        let decoded = try EnginePayload.decode(ByteBuffer(string: text), maxPayload: 1000)
        var encoded = ByteBuffer()
        encoded.writeEnginePayload(decoded)
        #expect(String(buffer: encoded) == text)
        #expect(
            try Self.packets(text) == text.split(separator: "\u{1E}", omittingEmptySubsequences: false).map(String.init)
        )
    }

    @Test func joinsEncodedPacketsWithTheSeparator() {
        var first = ByteBuffer()
        first.writeSocketEvent(name: "hello")
        var second = ByteBuffer()
        second.writeSocketEvent(name: "world")
        var payload = ByteBuffer()
        payload.writeEnginePayload(encoded: [first, second])
        #expect(String(buffer: payload) == #"42["hello"]"# + "\u{1E}" + #"42["world"]"#)
    }

    @Test(arguments: [
        ("", EngineIOError.emptyPacket()),
        ("\u{1E}", .emptyPacket()),
        ("4a\u{1E}\u{1E}2", .emptyPacket()),
        ("2\u{1E}", .emptyPacket()),
        ("4hello\u{1E}bAQIDBA==", .binaryNotSupported()),
        ("4hello\u{1E}x", .unknownPacketType(UInt8(ascii: "x"))),
        ("abc", .unknownPacketType(UInt8(ascii: "a"))),
    ])
    func refusesMalformedPayloads(text: String, error: EngineIOError) {
        #expect(throws: error) { try EnginePayload.decode(ByteBuffer(string: text), maxPayload: 100) }
    }

    @Test func checksMaxPayloadBeforeLookingAtPackets() throws {
        #expect(throws: EngineIOError.payloadTooLarge(limit: 5)) {
            try EnginePayload.decode(ByteBuffer(string: "4hello"), maxPayload: 5)
        }
        #expect(try Self.packets("4hell", maxPayload: 5) == ["4hell"])
    }

    @Test func collectorRefusesAChunkBeforeBufferingIt() throws {
        var collector = EnginePayloadCollector(maxPayload: 10)
        try collector.append(ByteBuffer(string: "4hello"))
        #expect(throws: EngineIOError.payloadTooLarge(limit: 10)) {
            try collector.append(ByteBuffer(string: "\u{1E}4world"))
        }
        #expect(collector.count == 6)
        try collector.append(ByteBuffer(string: "\u{1E}2\u{1E}6"))
        #expect(collector.count == 10)
        #expect(
            try collector.packets() == [
                EnginePacket(.message, data: ByteBuffer(string: "hello")), EnginePacket(.ping), EnginePacket(.noop),
            ])
    }
}
