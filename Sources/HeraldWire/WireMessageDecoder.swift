import NIOCore

/// Turns a byte stream straight into `WireMessage`s: framing as `WireFrameDecoder`, then
/// `WireMessage.decode(frame:)`.
///
/// The first bad frame throws a `WireError` into the pipeline and the decoder stops reading; the handler that
/// catches it should write `.error(error.failure)` and close the connection.
public struct WireMessageDecoder: ByteToMessageDecoder {
    public typealias InboundOut = WireMessage

    private let frames: WireFrameDecoder

    public init(maximumFrameBytes: Int = WireProtocol.maximumFrameBytes) {
        self.frames = WireFrameDecoder(maximumFrameBytes: maximumFrameBytes)
    }

    public var maximumFrameBytes: Int { frames.maximumFrameBytes }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let payload = try frames.nextPayload(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(try WireMessage.decode(frame: payload)))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}
