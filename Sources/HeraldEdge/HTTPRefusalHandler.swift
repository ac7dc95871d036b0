import HeraldModel
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Answers every HTTP request that did not become a WebSocket: refused upgrades (401, 403, 429, 503 with the
/// gate's reason), plain requests to a WebSocket path (426) and anything else (404), each with a JSON error
/// body, then closes the connection. Removed from the pipeline when an upgrade succeeds.
final class HTTPRefusalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let gate: UpgradeGate
    private var head: HTTPRequestHead?
    private var answered = false

    init(gate: UpgradeGate) { self.gate = gate }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head, !answered else { return }
            answered = true
            respond(context: context, to: head)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The upgrader reports a refused upgrade as an error, then hands the request on to be answered here.
        if error is NIOWebSocketUpgradeError { return }
        context.close(promise: nil)
    }

    private func respond(context: ChannelHandlerContext, to head: HTTPRequestHead) {
        let refusal: UpgradeRefusal
        let status: HTTPResponseStatus
        if let refused = gate.refusal {
            refusal = refused
            status = HTTPResponseStatus(statusCode: refused.status)
        } else {
            let path = gate.route(head).path
            if gate.protocolIndex != nil {
                refusal = UpgradeRefusal(.invalidPayload, "\(path) is a WebSocket endpoint; send an upgrade request")
                status = .upgradeRequired
            } else {
                refusal = UpgradeRefusal(.notFound, "nothing at \(path); \(UpgradeGate.endpoints)")
                status = .notFound
            }
        }
        let body = ByteBuffer(string: refusal.body)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: "close")
        if status == .upgradeRequired { headers.add(name: "Upgrade", value: "websocket") }
        if refusal.code == .connectionLimit || refusal.code == .unavailable {
            headers.add(name: "Retry-After", value: "5")
        }
        let response = HTTPResponseHead(version: head.version, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
