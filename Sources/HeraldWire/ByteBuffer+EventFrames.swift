import NIOCore

extension ByteBuffer {
    /// How much one `events` frame carries before the packer starts another: well under the 2 MiB frame limit,
    /// so a receiver never holds more than this for one frame however far behind it is.
    public static let eventsFrameTargetBytes = 1_048_576
    /// The most events one `events` frame carries.
    public static let eventsFrameMaximumCount = 512

    /// Appends frames carrying `events` (each one event object as `writeWireEvent` encodes it), in order: one
    /// `event` frame when there is a single event, else `events` frames of at most
    /// `eventsFrameMaximumCount` events and about `eventsFrameTargetBytes` each (an event larger than that goes
    /// alone, in an `event` frame). The objects are copied in as they are, never decoded again. Returns how
    /// many frames were written.
    @discardableResult
    public mutating func writeEventFrames(_ events: some Collection<ByteBuffer>) -> Int {
        var frames = 0
        var group: [ByteBuffer] = []
        var groupBytes = 0
        for event in events {
            let fits = groupBytes + event.readableBytes + 1 <= Self.eventsFrameTargetBytes
            if !group.isEmpty, !fits || group.count == Self.eventsFrameMaximumCount {
                writeEventFrame(group)
                frames += 1
                group.removeAll(keepingCapacity: true)
                groupBytes = 0
            }
            group.append(event)
            groupBytes += event.readableBytes + 1
        }
        if !group.isEmpty {
            writeEventFrame(group)
            frames += 1
        }
        return frames
    }

    private mutating func writeEventFrame(_ group: [ByteBuffer]) {
        writeLengthPrefixed { frame in
            if group.count == 1 {
                frame.writeStaticString(#"{"type":"event","event":"#)
                frame.writeImmutableBuffer(group[0])
            } else {
                frame.writeStaticString(#"{"type":"events","events":"#)
                frame.writeJSONArray(group) { $0.writeImmutableBuffer($1) }
            }
            frame.writeInteger(UInt8(ascii: "}"))
        }
    }
}
