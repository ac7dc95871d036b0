import NIOCore

/// Writes complete, already-encoded WebSocket frames. It sits at the head end of the pipeline, below
/// `WebSocketFrameEncoder`, so pre-encoded deliveries reach the socket without any per-socket framing; frames
/// other handlers write (the protocol error handler's close) pass through it unchanged.
///
/// Confined to its channel's event loop.
final class RawFrameOutlet: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Queues a frame; nothing reaches the socket before `flush()`.
    func write(_ frame: ByteBuffer, promise: EventLoopPromise<Void>? = nil) {
        guard let context else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(wrapOutboundOut(frame), promise: promise)
    }

    func flush() {
        context?.flush()
    }
}
