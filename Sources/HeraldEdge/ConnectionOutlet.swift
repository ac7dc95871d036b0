import NIOCore

/// Where a connection's frames go: a WebSocket, or a long-polling session's queue. Frames are complete
/// WebSocket text frames (`ServerFrame`), shared between every connection a delivery reaches.
///
/// Confined to the connection's event loop.
public protocol ConnectionOutlet: AnyObject {
    /// Queues a frame; nothing need reach the client before `flush()`.
    func write(_ frame: ByteBuffer)
    func flush()
    /// Whether the client reads fast enough to take more (false once `edge.max_pending_bytes_per_connection`
    /// wait unsent).
    var isWritable: Bool { get }
    /// Ends the transport: a close frame with `code` and `reason` first where the transport has one.
    func close(code: CloseCode, reason: String)
}
