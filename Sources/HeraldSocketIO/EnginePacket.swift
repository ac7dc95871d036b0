import NIOCore

/// One Engine.IO v4 text packet: a type digit followed by text data (`2probe`, `4` + a Socket.IO packet).
///
/// `data` is a zero-copy slice of the bytes the packet was decoded from.
public struct EnginePacket: Sendable, Hashable {
    public var type: EnginePacketType
    /// The text after the type digit; empty for most control packets.
    public var data: ByteBuffer

    public init(_ type: EnginePacketType, data: ByteBuffer = ByteBuffer()) {
        self.type = type
        self.data = data
    }

    /// Decodes one text packet: a WebSocket text frame, or one record of a polling payload.
    ///
    /// Throws `EngineIOError.emptyPacket`, `.unknownPacketType`, or `.binaryNotSupported` for a `b`-prefixed
    /// base64 packet.
    public static func decode(text: ByteBuffer) throws(EngineIOError) -> EnginePacket {
        guard let first = text.getInteger(at: text.readerIndex, as: UInt8.self) else {
            throw .emptyPacket()
        }
        guard let type = EnginePacketType(digit: first) else {
            if first == UInt8(ascii: "b") { throw .binaryNotSupported() }
            throw .unknownPacketType(first)
        }
        let data = text.getSlice(at: text.readerIndex + 1, length: text.readableBytes - 1) ?? ByteBuffer()
        return EnginePacket(type, data: data)
    }

    /// Refuses a binary WebSocket frame: this server speaks text packets only.
    public static func decode(binary: ByteBuffer) throws(EngineIOError) -> EnginePacket {
        throw .binaryNotSupported()
    }
}
