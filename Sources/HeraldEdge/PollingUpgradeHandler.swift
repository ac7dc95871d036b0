import NIOCore
import NIOWebSocket

/// A WebSocket that takes over a long-polling session (Engine.IO's upgrade): it answers the probe itself,
/// and once the client completes the upgrade, the session's queued frames and all later ones go here and
/// every message is handed to the session's driver on the session's loop.
///
/// Confined to the WebSocket's loop; the session is touched only on its own.
final class PollingUpgradeHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame

    private let session: PollingSession
    private let style: any LongPollingStyle
    private let runtime: EdgeRuntime
    private let outlet: RawFrameOutlet
    private var upgraded = false

    init(session: PollingSession, style: any LongPollingStyle, runtime: EdgeRuntime, outlet: RawFrameOutlet) {
        self.session = session
        self.style = style
        self.runtime = runtime
        self.outlet = outlet
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let session = self.session
        switch frame.opcode {
        case .text where !upgraded:
            let message = frame.unmaskedData
            if let answer = style.probeAnswer(to: message) {
                outlet.write(ServerFrame.text(allocator: context.channel.allocator) { $0.writeImmutableBuffer(answer) })
                outlet.flush()
                // The client finishes its waiting GET before it completes the upgrade.
                session.connection.loop.execute { session.outlet.releaseWaiting() }
            } else if style.completesUpgrade(message) {
                upgraded = true
                let runtime = self.runtime
                let bound = NIOLoopBound(outlet, eventLoop: context.eventLoop)
                let channel = context.channel
                session.connection.loop.execute {
                    guard runtime.polling.remove(session.connection.id) != nil, !session.outlet.isClosed else {
                        channel.close(promise: nil)
                        return
                    }
                    // Same loop: write straight to the socket; another loop: gather and hand over per flush.
                    let target: any ConnectionOutlet =
                        channel.eventLoop.inEventLoop
                        ? bound.value
                        : CrossLoopOutlet(bound, channel: channel) {
                            session.connection.loop.execute { session.driver.slowConsumer() }
                        }
                    session.outlet.handOver(to: target)
                    session.connection.outlet = target
                }
            }
        case .text:
            let message = frame.unmaskedData
            session.connection.loop.execute {
                session.driver.heard()
                session.driver.receive(text: message)
                session.driver.flushIfNeeded()
            }
        case .binary where upgraded:
            session.connection.loop.execute { session.driver.receiveBinary() }
        case .ping:
            outlet.write(ServerFrame.pong(payload: frame.unmaskedData, allocator: context.channel.allocator))
            outlet.flush()
        case .connectionClose where upgraded:
            var payload = frame.unmaskedData
            let code = payload.readInteger(as: UInt16.self)
            session.connection.loop.execute { session.driver.closeReceived(code: code) }
        case .connectionClose:
            context.close(promise: nil)
        default:
            if upgraded { session.connection.loop.execute { session.driver.heard() } }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if upgraded {
            let session = self.session
            let runtime = self.runtime
            session.connection.loop.execute { session.end(runtime) }
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
