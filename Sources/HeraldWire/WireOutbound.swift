import NIOCore

/// What a stage writes to a wire connection through `WireOutboundEncoder`.
public enum WireOutbound: Sendable {
    /// One message, encoded as one frame on the way out.
    case message(WireMessage)
    /// Complete frames already encoded with `ByteBuffer.writeWireFrame`, written as they are. Encode once,
    /// write the same buffer to every peer.
    case frames(ByteBuffer)
}
