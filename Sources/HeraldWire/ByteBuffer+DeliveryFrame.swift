import NIOCore

extension ByteBuffer {
    /// Appends the frame that delivers `events` (numbered, all on one channel) to an edge — `deliver` for one
    /// event, `batch` for several — and returns where each event's JSON object lies in this buffer, so a history
    /// can keep slices of the frame instead of encoding the events a second time.
    @discardableResult
    public mutating func writeDeliveryFrame(_ events: [WireEvent]) -> [Range<Int>] {
        let lengthIndex = writerIndex
        writeInteger(UInt32(0))
        let payloadStart = writerIndex
        var objects: [Range<Int>] = []
        objects.reserveCapacity(events.count)
        if events.count == 1 {
            writeStaticString(#"{"type":"deliver","event":"#)
        } else {
            writeStaticString(#"{"type":"batch","events":["#)
        }
        for (index, event) in events.enumerated() {
            if index > 0 { writeInteger(UInt8(ascii: ",")) }
            let start = writerIndex
            writeWireEvent(event)
            objects.append(start..<writerIndex)
        }
        if events.count != 1 { writeInteger(UInt8(ascii: "]")) }
        writeInteger(UInt8(ascii: "}"))
        setInteger(UInt32(truncatingIfNeeded: writerIndex - payloadStart), at: lengthIndex)
        return objects
    }

    /// Appends a `deliver` frame around an event object encoded before (`writeWireEvent`).
    public mutating func writeDeliverFrame(eventObject: ByteBuffer) {
        writeInteger(UInt32(truncatingIfNeeded: eventObject.readableBytes + 27))
        writeStaticString(#"{"type":"deliver","event":"#)
        writeImmutableBuffer(eventObject)
        writeInteger(UInt8(ascii: "}"))
    }
}
