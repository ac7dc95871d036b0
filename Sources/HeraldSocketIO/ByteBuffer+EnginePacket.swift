import NIOCore

extension ByteBuffer {
    /// Writes `packet` as text: its type digit, then its data. Returns the number of bytes written.
    @discardableResult
    public mutating func writeEnginePacket(_ packet: EnginePacket) -> Int {
        writeInteger(packet.type.digit) + writeImmutableBuffer(packet.data)
    }

    /// Writes `packets` as one polling payload, separated by the record separator (0x1E). Returns the number of
    /// bytes written.
    @discardableResult
    public mutating func writeEnginePayload(_ packets: [EnginePacket]) -> Int {
        let start = writerIndex
        reserveCapacity(minimumWritableBytes: packets.reduce(0) { $0 + $1.data.readableBytes + 2 })
        for (index, packet) in packets.enumerated() {
            if index > 0 { writeInteger(EnginePayload.separator) }
            writeEnginePacket(packet)
        }
        return writerIndex - start
    }

    /// Writes packets that are already encoded (each a type digit and its data, such as a shared `42[…]`
    /// delivery) as one polling payload. Returns the number of bytes written.
    @discardableResult
    public mutating func writeEnginePayload(encoded packets: [ByteBuffer]) -> Int {
        let start = writerIndex
        reserveCapacity(minimumWritableBytes: packets.reduce(0) { $0 + $1.readableBytes + 1 })
        for (index, packet) in packets.enumerated() {
            if index > 0 { writeInteger(EnginePayload.separator) }
            writeImmutableBuffer(packet)
        }
        return writerIndex - start
    }
}
