import NIOCore

/// An Engine.IO v4 polling payload: text packets joined by the record separator 0x1E (`4hello\u{1E}2\u{1E}4world`).
public enum EnginePayload {
    /// The record separator between packets.
    public static let separator: UInt8 = 0x1E

    /// Splits a complete request body into packets, each a zero-copy slice of `body`.
    ///
    /// The size is checked first: a body longer than `maxPayload` throws `EngineIOError.payloadTooLarge` before
    /// any packet is looked at. An empty body or an empty record throws `.emptyPacket`.
    public static func decode(_ body: ByteBuffer, maxPayload: Int) throws(EngineIOError) -> [EnginePacket] {
        guard body.readableBytes <= maxPayload else { throw .payloadTooLarge(limit: maxPayload) }
        var packets: [EnginePacket] = []
        var rest = body
        while true {
            let length = rest.readableBytesView.firstIndex(of: separator).map { $0 - rest.readerIndex }
            guard let length else {
                packets.append(try EnginePacket.decode(text: rest))
                return packets
            }
            let record = rest.readSlice(length: length) ?? ByteBuffer()
            packets.append(try EnginePacket.decode(text: record))
            rest.moveReaderIndex(forwardBy: 1)
        }
    }
}
