import NIOCore

/// Writes `WireOutbound` values: messages are framed into a fresh buffer, pre-encoded frames pass through
/// untouched. Use it instead of `WireMessageEncoder` on connections that carry batches of events.
public final class WireOutboundEncoder: ChannelOutboundHandler {
    public typealias OutboundIn = WireOutbound
    public typealias OutboundOut = ByteBuffer

    private let encoder: WireMessageEncoder

    public init(maximumFrameBytes: Int = WireProtocol.maximumFrameBytes) {
        self.encoder = WireMessageEncoder(maximumFrameBytes: maximumFrameBytes)
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .frames(let frames):
            context.write(wrapOutboundOut(frames), promise: promise)
        case .message(let message):
            var buffer = context.channel.allocator.buffer(capacity: 256)
            do {
                try encoder.encode(data: message, out: &buffer)
            } catch {
                promise?.fail(error)
                context.fireErrorCaught(error)
                return
            }
            context.write(wrapOutboundOut(buffer), promise: promise)
        }
    }
}

@available(*, unavailable)
extension WireOutboundEncoder: Sendable {}
