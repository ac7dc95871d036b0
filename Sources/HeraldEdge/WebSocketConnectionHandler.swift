import NIOCore
import NIOWebSocket

/// The WebSocket transport of one upgraded connection: hands every reassembled message and close to the
/// connection's `ConnectionDriver` and answers pings. A client that reads too slowly is found by whoever
/// flushes to it (the fan-out, the driver), from the outlet's `backlog`.
///
/// Confined to the connection's event loop.
final class WebSocketConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame

    private let driver: ConnectionDriver

    init(driver: ConnectionDriver) {
        self.driver = driver
    }

    func handlerAdded(context: ChannelHandlerContext) {
        driver.start()
    }

    func channelInactive(context: ChannelHandlerContext) {
        driver.released()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            driver.heard()
            driver.receive(text: frame.unmaskedData)
        case .binary:
            driver.heard()
            driver.receiveBinary()
        case .ping:
            driver.heard()
            driver.writeNow(ServerFrame.pong(payload: frame.unmaskedData, allocator: context.channel.allocator))
        case .connectionClose:
            var payload = frame.unmaskedData
            driver.closeReceived(code: payload.readInteger(as: UInt16.self))
        default:
            driver.heard()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        driver.flushIfNeeded()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case is NIOWebSocketError:
            // WebSocketProtocolErrorHandler already sent the close frame (1002, or 1009 for an oversize frame)
            // and closes the channel; the driver lets go when it goes inactive.
            break
        case NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge:
            driver.terminate(.messageTooBig, reason: "message over limits.max_message_bytes")
        case is NIOWebSocketFrameAggregator.Error:
            driver.terminate(.protocolError, reason: "malformed fragmented message")
        default:
            context.close(promise: nil)
        }
    }
}
