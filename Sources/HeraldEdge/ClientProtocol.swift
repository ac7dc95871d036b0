import HeraldModel
import HeraldWire
import NIOCore

/// One way of speaking to clients over WebSocket: how an inbound text message becomes a `ClientCommand`, how a
/// `ClientReply` and a delivered event become complete server frames.
///
/// The native protocol (`NativeProtocol`) is the first; Socket.IO and Pusher plug in here. Deliveries are encoded
/// once per protocol per event and the same buffer is written to every subscriber that speaks it.
public protocol ClientProtocol: Sendable {
    /// A short name for logs and statistics (`native`).
    var name: String { get }
    /// Whether a request for `path` (without its query) speaks this protocol.
    func serves(path: String) -> Bool
    /// Reads one inbound text message (already unmasked and reassembled).
    func command(fromText message: ByteBuffer) -> ClientCommand
    /// A complete WebSocket frame carrying `reply`.
    func frame(for reply: ClientReply, allocator: ByteBufferAllocator) -> ByteBuffer
    /// A complete WebSocket frame carrying `event`, delivered on its one channel.
    func deliveryFrame(for event: WireEvent, allocator: ByteBufferAllocator) -> ByteBuffer
}
