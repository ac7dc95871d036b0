import HeraldSocketIO
import HeraldTestSupport
import HeraldWire
import NIOCore
import Testing

/// Random and damaged input: every decoder either succeeds or throws its typed error, never traps, and whatever
/// it accepts survives another encode and decode unchanged.
@Suite("Fuzz")
struct SocketIOFuzzTests {
    /// Bytes that tend to matter to these parsers.
    private static let interesting: [UInt8] =
        Array(#"0123456789-/,[]{}":\ abnptu"#.utf8) + [0x00, 0x1E, 0x1F, 0x7F, 0x80, 0xC3, 0xE2, 0xF0, 0xFF]

    /// Valid packets to damage: every encoder golden and the specification's examples.
    private static let seeds: [[UInt8]] =
        EncoderGolden.all.map { Array($0.text.utf8) }
        + [
            "2probe", "4hello\u{1E}2\u{1E}4world", #"42["hello"]"# + "\u{1E}" + #"42["world"]"#, "40/admin,",
            #"40/custom,{"token":"abc"}"#, #"42456["message-with-ack",1,"2",{"3":[false]}]"#,
            #"452-789["m",{"_placeholder":true,"num":0}]"#, #"461-/admin,1[{"_placeholder":true,"num":0}]"#,
        ].map { Array($0.utf8) }

    private static func mutate(_ input: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            let byte =
                Bool.random(using: &rng)
                ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[position] = byte
            case 1: bytes.insert(byte, at: position)
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            case 3: bytes.removeLast(Int.random(in: 0...bytes.count, using: &rng))
            default:
                let end = Int.random(in: position...bytes.count, using: &rng)
                bytes.insert(contentsOf: bytes[position..<end], at: Int.random(in: 0...bytes.count, using: &rng))
            }
        }
        return bytes
    }

    /// Runs every decoder over `bytes`; returns whether a Socket.IO packet came out.
    private static func check(_ bytes: [UInt8]) throws -> Bool {
        let buffer = ByteBuffer(bytes: bytes)
        _ = try? EnginePayload.decode(buffer, maxPayload: 64)
        if let packets = try? EnginePayload.decode(buffer, maxPayload: 1 << 20) {
            var encoded = ByteBuffer()
            encoded.writeEnginePayload(packets)
            #expect(encoded == buffer, "payload re-encoding changed \(bytes)")
        }
        guard let engine = try? EnginePacket.decode(text: buffer), engine.type == .message else { return false }
        let packet: SocketPacket
        do {
            packet = try SocketPacket.decode(engine.data)
        } catch {
            #expect(!error.message.isEmpty)
            return false
        }
        try checkReencoding(packet)
        return true
    }

    /// Re-encodes the packets Herald has encoders for and checks they decode to the same value.
    private static func checkReencoding(_ packet: SocketPacket) throws {
        var encoded = ByteBuffer()
        switch packet {
        case .event(let event):
            encoded.writeSocketEvent(
                name: event.name, arguments: event.arguments.map(\.raw), namespace: event.namespace,
                ackID: event.ackID)
        case .ack(let ack):
            encoded.writeSocketAck(ackID: ack.ackID, arguments: ack.arguments.map(\.raw), namespace: ack.namespace)
        case .disconnect(let namespace):
            encoded.writeSocketDisconnect(namespace: namespace)
        case .connect, .connectError, .binaryNotSupported:
            return
        }
        let again = try SocketPacket.decode(try EnginePacket.decode(text: encoded).data)
        #expect(again == packet, "re-encoding changed \(packet)")
    }

    @Test func damagedPacketsNeverTrap() throws {
        var rng = SeededGenerator(seed: 0x534F_434B_4554)
        var accepted = 0
        for _ in 0..<6000 {
            if try Self.check(Self.mutate(Self.seeds.randomElement(using: &rng)!, using: &rng)) { accepted += 1 }
        }
        #expect(accepted > 0)
        #expect(accepted < 6000)
    }

    @Test func randomBytesNeverTrap() throws {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<4000 {
            let count = Int.random(in: 0..<48, using: &rng)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &rng)
                    ? Self.interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            _ = try Self.check([UInt8(ascii: "4")] + bytes)
        }
    }

    /// A polling body fed one byte at a time is accepted or refused exactly as the whole body is.
    @Test func dripFedBodiesMatchWholeBodies() throws {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<500 {
            let bytes = Self.mutate(Self.seeds.randomElement(using: &rng)!, using: &rng)
            let limit = Int.random(in: 0...80, using: &rng)
            var collector = EnginePayloadCollector(maxPayload: limit)
            var refused = false
            for byte in bytes {
                do {
                    try collector.append(ByteBuffer(bytes: [byte]))
                } catch {
                    #expect(error == .payloadTooLarge(limit: limit))
                    refused = true
                    break
                }
            }
            #expect(collector.count <= limit)
            let whole = Result { () throws(EngineIOError) in
                try EnginePayload.decode(ByteBuffer(bytes: bytes), maxPayload: limit)
            }
            if refused {
                #expect(throws: EngineIOError.payloadTooLarge(limit: limit)) { try whole.get() }
            } else {
                let dripped = Result { () throws(EngineIOError) in try collector.packets() }
                #expect(dripped == whole)
            }
        }
    }
}
