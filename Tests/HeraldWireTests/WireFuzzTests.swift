import HeraldTestSupport
import HeraldWire
import NIOCore
import NIOEmbedded
import Testing

/// Random damage to valid frames: decoding must either succeed or throw a `WireError`, never trap, and whatever
/// it accepts must survive another encode and decode unchanged.
@Suite("Fuzz")
struct WireFuzzTests {
    /// Bytes that tend to matter to a JSON parser.
    private static let interesting: [UInt8] =
        Array(#"{}[]",:\ u0123456789-+.eEtfn"#.utf8)
        + [0x00, 0x01, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF5, 0xFF]

    private static func mutate(_ input: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            let byte =
                Bool.random(using: &rng)
                ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[position] = byte
            case 1: bytes.insert(byte, at: position)
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            case 3: bytes.removeLast(Int.random(in: 0...bytes.count, using: &rng))
            case 4 where !bytes.isEmpty:
                let end = Int.random(in: position...bytes.count, using: &rng)
                bytes.insert(contentsOf: bytes[position..<end], at: Int.random(in: 0...bytes.count, using: &rng))
            case 5 where !bytes.isEmpty: bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            default:
                bytes.insert(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), byte, byte], at: position)
            }
        }
        return bytes
    }

    private static func checkPayload(_ bytes: [UInt8]) throws -> Bool {
        // Whatever scans as an object: member objects read from the scan agree with scanning them afresh.
        if let object = try? JSONScanner.object(ByteBuffer(bytes: bytes)) {
            for member in object.members where member.value.kind == .object {
                #expect(try member.value.object().members == JSONScanner.object(member.value.raw).members)
            }
        }
        let decoded: WireMessage
        do {
            decoded = try WireMessage.decode(frame: ByteBuffer(bytes: bytes))
        } catch is WireError {
            return false
        }
        var frame = ByteBuffer()
        frame.writeWireFrame(decoded)
        frame.moveReaderIndex(forwardBy: 4)
        #expect(try WireMessage.decode(frame: frame) == decoded, "re-encoding changed \(bytes)")
        return true
    }

    @Test func mutatedPayloadsNeverTrap() throws {
        var rng = SeededGenerator(seed: 0x4845_5241_4C44)
        let seeds = try Golden.all.map { Array(try Fixture.payload($0.name).readableBytesView) }
        var accepted = 0
        for _ in 0..<4000 {
            if try Self.checkPayload(Self.mutate(seeds.randomElement(using: &rng)!, using: &rng)) { accepted += 1 }
        }
        // Some mutations (inside strings or data) keep the frame valid; most must not.
        #expect(accepted > 0)
        #expect(accepted < 4000)
    }

    @Test func randomBytesNeverTrap() throws {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<64, using: &rng)
            let bytes = (0..<count).map { _ in Self.interesting.randomElement(using: &rng)! }
            _ = try Self.checkPayload([UInt8(ascii: "{")] + bytes)
        }
    }

    @Test func mutatedStreamsNeverTrapTheChannelDecoder() throws {
        var rng = SeededGenerator(seed: 2025)
        let frames = try Golden.all.map { Array(try Fixture.frame($0.name).readableBytesView) }
        for _ in 0..<600 {
            let stream = (0..<3).flatMap { _ in frames.randomElement(using: &rng)! }
            var bytes = Self.mutate(stream, using: &rng)[...]
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(WireMessageDecoder()))
            do {
                while !bytes.isEmpty {
                    let chunk = bytes.prefix(Int.random(in: 1...64, using: &rng))
                    bytes = bytes.dropFirst(chunk.count)
                    try channel.writeInbound(ByteBuffer(bytes: chunk))
                }
                while try channel.readInbound(as: WireMessage.self) != nil {}
            } catch is WireError {
                // A refused frame ends the connection, as in the daemons.
            }
            _ = try? channel.finish()
        }
    }
}
