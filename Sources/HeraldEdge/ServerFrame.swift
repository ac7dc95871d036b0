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
