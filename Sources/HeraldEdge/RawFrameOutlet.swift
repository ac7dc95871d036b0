import NIOCore

/// Writes complete, already-encoded WebSocket frames: a WebSocket connection's `ConnectionOutlet`. It sits at
/// the head end of the pipeline, below `WebSocketFrameEncoder`, so pre-encoded deliveries reach the socket
/// without any per-socket framing; frames other handlers write (the protocol error handler's close) pass
/// through it unchanged.
///
/// Confined to its channel's event loop.
final class RawFrameOutlet: ChannelOutboundHandler, RemovableChannelHandler, ConnectionOutlet {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How long a closing connection may take to send its close frame before the socket is closed anyway
    /// (a slow consumer may never read it).
    static let closeGrace: TimeAmount = .seconds(2)

    /// `edge.max_pending_bytes_per_connection` when the connection was accepted.
    private let maxPendingBytes: Int
    private var context: ChannelHandlerContext?

    /// The channel's write buffer watermarks must be half (high) and a quarter (low) of `maxPendingBytes`
    /// (`watermarks(maxPendingBytes:)`), so that a writable channel is known to be clear without counting.
    init(maxPendingBytes: Int) {
        self.maxPendingBytes = maxPendingBytes
    }

    /// Unwritable past half the limit, writable again below a quarter.
    static func watermarks(maxPendingBytes: Int) -> ChannelOptions.Types.WriteBufferWaterMark {
        ChannelOptions.Types.WriteBufferWaterMark(low: maxPendingBytes / 4, high: maxPendingBytes / 2)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func write(_ frame: ByteBuffer) {
        context?.write(wrapOutboundOut(frame), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    var backlog: OutboundBacklog {
        // Writable means at most half the limit waits; only a channel that is not is counted.
        guard let channel = context?.channel, !channel.isWritable else { return .clear }
        let pending = (try? channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
        return OutboundBacklog(pendingBytes: pending, limit: maxPendingBytes)
    }

    func close(code: CloseCode, reason: String) {
        guard let context else { return }
        let channel = context.channel
        guard channel.isActive else {
            channel.close(promise: nil)
            return
        }
        let written = channel.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(
            wrapOutboundOut(ServerFrame.close(code: code.rawValue, reason: reason, allocator: channel.allocator)),
            promise: written)
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        channel.eventLoop.scheduleTask(in: Self.closeGrace) { channel.close(promise: nil) }
    }
}
