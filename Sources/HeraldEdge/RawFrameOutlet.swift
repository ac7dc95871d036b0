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

    private var context: ChannelHandlerContext?

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

    var isWritable: Bool { context?.channel.isWritable ?? false }

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
