import NIOCore

/// Encodes each `WireMessage` written to the pipeline as one frame. Meant for control traffic (hello, ack,
/// settled, requests); event streams pack many frames into one buffer with `ByteBuffer.writeWireFrame` and
/// write it through `WireOutboundEncoder`.
public struct WireMessageEncoder: MessageToByteEncoder {
    public typealias OutboundIn = WireMessage

    /// The largest payload the peer accepts; a larger message fails its write instead of being sent.
    public let maximumFrameBytes: Int

    public init(maximumFrameBytes: Int = WireProtocol.maximumFrameBytes) {
        self.maximumFrameBytes = maximumFrameBytes
    }

    public func encode(data: WireMessage, out: inout ByteBuffer) throws {
        let start = out.writerIndex
        let written = out.writeWireFrame(data)
        let length = written - WireProtocol.lengthFieldBytes
        guard length <= maximumFrameBytes else {
            out.moveWriterIndex(to: start)
            throw WireError.frameTooLarge(length, maximumFrameBytes)
        }
    }
}
