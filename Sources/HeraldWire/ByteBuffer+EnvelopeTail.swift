import NIOCore

extension ByteBuffer {
    /// The members every event envelope ends with, between stages and to native clients alike:
    /// `,"data":…` (the publisher's bytes, `null` when empty), then `metadata`, `offset` and `epoch` when
    /// present, and the closing brace.
    public mutating func writeEnvelopeTail(of event: WireEvent) {
        writeStaticString(#","data":"#)
        writeJSONRaw(event.data, orStatic: "null")
        if let metadata = event.metadata, metadata.readableBytes > 0 {
            writeStaticString(#","metadata":"#)
            writeJSONRaw(metadata)
        }
        if let offset = event.offset {
            writeStaticString(#","offset":"#)
            writeJSONNumber(offset)
        }
        if let epoch = event.epoch {
            writeStaticString(#","epoch":"#)
            writeJSONString(epoch)
        }
        writeInteger(UInt8(ascii: "}"))
    }
}
