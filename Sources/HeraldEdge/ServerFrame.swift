import NIOCore

/// Complete WebSocket frames as the edge sends them: header and payload in one buffer, unmasked (RFC 6455
/// §5.1: servers never mask), ready to be written to the socket as they are.
///
/// A delivery is encoded this way once and the same buffer goes to every subscriber, so no per-socket framing
/// happens on the fan-out path (pre-encoding the whole frame measured about half the cost per delivery of framing per socket).
public enum ServerFrame {
    /// The largest header a server frame can need: 2 bytes plus a 64-bit length.
    public static let maximumHeaderBytes = 10

    /// Final-fragment bit plus the text opcode.
    static let textHeader: UInt8 = 0x81

    /// Builds a final text frame whose payload `writePayload` writes straight into the frame's buffer.
    ///
    /// Room for the largest header is reserved in front of the payload; once the payload's length is known the
    /// header is written right before it and the reader index moved back to it, so nothing is copied.
    public static func text(
        allocator: ByteBufferAllocator, payloadCapacity: Int = 256, _ writePayload: (inout ByteBuffer) -> Void
    ) -> ByteBuffer {
        var frame = allocator.buffer(capacity: maximumHeaderBytes + payloadCapacity)
        frame.writeRepeatingByte(0, count: maximumHeaderBytes)
        frame.moveReaderIndex(forwardBy: maximumHeaderBytes)
        writePayload(&frame)
        frame.prependHeader(first: textHeader, payloadLength: frame.readableBytes)
        return frame
    }

    /// Complete frames one after the other in one buffer, so a connection gets them in one write.
    public static func joined(_ frames: [ByteBuffer], allocator: ByteBufferAllocator) -> ByteBuffer {
        if frames.count == 1 { return frames[0] }
        var joined = allocator.buffer(capacity: frames.reduce(0) { $0 + $1.readableBytes })
        for frame in frames { joined.writeImmutableBuffer(frame) }
        return joined
    }

    /// The payloads of the complete, unmasked frames in `frames` (one frame, or several `joined`), sliced out
    /// without copying. A truncated last frame is left out.
    public static func payloads(of frames: ByteBuffer) -> [ByteBuffer] {
        var payloads: [ByteBuffer] = []
        var start = frames.readerIndex
        let end = frames.writerIndex
        while let second = frames.getInteger(at: start + 1, as: UInt8.self) {
            var header = 2
            var length = Int(second & 0x7F)
            if length == 126, let long = frames.getInteger(at: start + 2, as: UInt16.self) {
                header = 4
                length = Int(long)
            } else if length == 127, let long = frames.getInteger(at: start + 2, as: UInt64.self),
                long <= UInt64(Int.max)
            {
                header = 10
                length = Int(long)
            } else if length >= 126 {
                break
            }
            guard length <= end - start - header, let payload = frames.getSlice(at: start + header, length: length)
            else { break }
            payloads.append(payload)
            start += header + length
        }
        return payloads
    }

    /// A ping with an empty payload; clients answer it with a pong, which counts as a sign of life.
    public static func ping(allocator: ByteBufferAllocator) -> ByteBuffer {
        control(opcode: 0x9, payload: ByteBuffer(), allocator: allocator)
    }

    /// The pong that answers a client's ping, echoing its payload (at most 125 bytes, as RFC 6455 requires
    /// of control frames; longer pings are refused by the frame decoder before they get here).
    public static func pong(payload: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer {
        control(opcode: 0xA, payload: payload, allocator: allocator)
    }

    /// A close frame with a status code and a reason, cut to the 123 bytes a close payload has room for
    /// (never inside a UTF-8 sequence).
    public static func close(code: UInt16, reason: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        var payload = allocator.buffer(capacity: 125)
        payload.writeInteger(code)
        var utf8 = Array(reason.utf8.prefix(123))
        if utf8.count < reason.utf8.count {
            while let last = utf8.last, last & 0xC0 == 0x80 { utf8.removeLast() }
            if let last = utf8.last, last >= 0xC0 { utf8.removeLast() }
        }
        payload.writeBytes(utf8)
        return control(opcode: 0x8, payload: payload, allocator: allocator)
    }

    private static func control(opcode: UInt8, payload: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer {
        precondition(payload.readableBytes <= 125, "control frames carry at most 125 bytes")
        var frame = allocator.buffer(capacity: 2 + payload.readableBytes)
        frame.writeInteger(0x80 | opcode)
        frame.writeInteger(UInt8(payload.readableBytes))
        frame.writeImmutableBuffer(payload)
        return frame
    }
}

extension ByteBuffer {
    /// Writes a frame header into the reserved bytes just before the readable payload and moves the reader index
    /// back onto it: 7-bit lengths below 126, then 126 with 16 bits, then 127 with 64 bits.
    fileprivate mutating func prependHeader(first: UInt8, payloadLength length: Int) {
        let headerBytes = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10
        let start = readerIndex - headerBytes
        precondition(start >= 0, "no room reserved for the frame header")
        setInteger(first, at: start)
        switch headerBytes {
        case 2:
            setInteger(UInt8(length), at: start + 1)
        case 4:
            setInteger(UInt8(126), at: start + 1)
            setInteger(UInt16(length), at: start + 2)
        default:
            setInteger(UInt8(127), at: start + 1)
            setInteger(UInt64(length), at: start + 2)
        }
        moveReaderIndex(to: start)
    }
}
