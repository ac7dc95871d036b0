import NIOCore

/// Where a connection's frames go: a WebSocket, or a long-polling session's queue. Frames are complete
/// WebSocket text frames (`ServerFrame`), shared between every connection a delivery reaches.
///
/// Confined to the connection's event loop.
public protocol ConnectionOutlet: AnyObject {
    /// Queues a frame; nothing need reach the client before `flush()`.
    func write(_ frame: ByteBuffer)
    func flush()
    /// How much waits unsent against `edge.max_pending_bytes_per_connection`. Read by the fan-out only for
    /// deliveries it may drop, and after each flush, so it must be cheap while the client keeps up.
    var backlog: OutboundBacklog { get }
    /// Ends the transport: a close frame with `code` and `reason` first where the transport has one.
    func close(code: CloseCode, reason: String)
}
