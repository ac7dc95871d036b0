import NIOCore

/// Splits a byte stream into frame payloads (the JSON after each 4-byte big-endian length).
///
/// The length is checked the moment its 4 bytes arrive: a zero or oversized length throws at once, before
/// any of the body is buffered. Payloads are zero-copy slices of the received bytes.
public struct WireFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The largest payload accepted, in bytes.
    public let maximumFrameBytes: Int

    public init(maximumFrameBytes: Int = WireProtocol.maximumFrameBytes) {
        self.maximumFrameBytes = maximumFrameBytes
    }

    /// Takes the next complete payload from the front of `buffer`, or returns `nil` (consuming nothing) when
    /// it has not fully arrived yet. Throws `WireError.frameTooLarge` or `WireError.emptyFrame` as soon as the
    /// length is readable.
    public func nextPayload(from buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        guard length > 0 else { throw WireError.emptyFrame() }
        guard length <= maximumFrameBytes else { throw WireError.frameTooLarge(Int(length), maximumFrameBytes) }
        guard buffer.readableBytes >= WireProtocol.lengthFieldBytes + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: WireProtocol.lengthFieldBytes)
        return buffer.readSlice(length: Int(length))
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let payload = try nextPayload(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(payload))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}
