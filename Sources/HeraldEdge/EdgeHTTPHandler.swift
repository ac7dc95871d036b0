import HeraldModel
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Answers every HTTP request that did not become a WebSocket. Long-polling requests (a protocol that offers
/// them, at its path) go to `LongPolling` and keep the connection alive; everything else is refused —
/// refused upgrades (401, 403, 429, 503 with the gate's reason), plain requests to a WebSocket path (426),
/// anything else (404) — with a JSON error body, and the connection is closed. Removed from the pipeline when
/// an upgrade succeeds. Confined to the connection's loop.
final class EdgeHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let gate: UpgradeGate
    /// Called when the connection turns out to carry long-polling requests (they may wait longer than an
    /// upgrade may take).
    private let onPolling: () -> Void
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var isPolling = false
    private var answered = false
    /// Closes a kept-alive polling connection that sends no new request for `idleTimeout`.
    private var idleClose: Scheduled<Void>?

    /// How long a kept-alive long-polling connection may wait for its next request.
    static let idleTimeout: TimeAmount = .seconds(60)

    init(gate: UpgradeGate, onPolling: @escaping () -> Void) {
        self.gate = gate
        self.onPolling = onPolling
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            idleClose?.cancel()
            idleClose = nil
            self.head = head
            body.clear()
            answered = false
            isPolling = gate.refusal == nil && isLongPolling(head)
            let limit = gate.runtime.settings.maxMessageBytes
            if isPolling, let declared = head.headers.first(name: "content-length").flatMap(Int.init), declared > limit
            {
                answered = true
                respond(LongPolling.refusal(Self.tooLarge(limit)), head: head, keepAlive: false, context: context)
            }
        case .body(var chunk):
            guard isPolling, !answered, let head else { return }
            let limit = gate.runtime.settings.maxMessageBytes
            guard body.readableBytes + chunk.readableBytes <= limit else {
                answered = true
                respond(LongPolling.refusal(Self.tooLarge(limit)), head: head, keepAlive: false, context: context)
                return
            }
            body.writeBuffer(&chunk)
        case .end:
            guard let head, !answered else { return }
            answered = true
            if isPolling {
                poll(head, context: context)
            } else {
                refuse(head, context: context)
            }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleClose?.cancel()
        idleClose = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The upgrader reports a refused upgrade as an error, then hands the request on to be answered here.
        if error is NIOWebSocketUpgradeError { return }
        context.close(promise: nil)
    }

    private func isLongPolling(_ head: HTTPRequestHead) -> Bool {
        _ = gate.route(head)
        guard let index = gate.protocolIndex else { return false }
        return gate.runtime.protocols[index].longPolling != nil
    }

    private static func tooLarge(_ limit: Int) -> UpgradeRefusal {
        UpgradeRefusal(.messageTooLarge, "a polling body over \(limit) bytes (limits.max_message_bytes)")
    }

    private func poll(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        onPolling()
        guard let index = gate.protocolIndex, let request = gate.request else { return }
        let keepAlive = head.isKeepAlive
        if head.method == .OPTIONS {
            respond(
                LongPolling.Answer(status: .noContent, body: ByteBuffer()), head: head, keepAlive: keepAlive,
                context: context)
            return
        }
        let channel = context.channel
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let contextBox = NIOLoopBound(context, eventLoop: context.eventLoop)
        LongPolling.respond(
            method: head.method, request: request, body: body, protocolIndex: index, runtime: gate.runtime,
            client: channel.remoteAddress, loop: channel.eventLoop
        ).whenComplete { result in
            guard channel.isActive else { return }
            let answer =
                (try? result.get()) ?? LongPolling.refusal(UpgradeRefusal(.internal, "the polling request failed"))
            handler.value.respond(answer, head: head, keepAlive: keepAlive, context: contextBox.value)
        }
    }

    private func refuse(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
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
        var answer = LongPolling.refusal(refusal)
        answer.status = status
        respond(answer, head: head, keepAlive: false, context: context)
    }

    private func respond(
        _ answer: LongPolling.Answer, head: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: answer.contentType)
        headers.add(name: "Content-Length", value: String(answer.body.readableBytes))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        if answer.status == .upgradeRequired { headers.add(name: "Upgrade", value: "websocket") }
        if let seconds = answer.retryAfterSeconds { headers.add(name: "Retry-After", value: String(seconds)) }
        if isPolling, let origin = head.headers.first(name: "origin"), gate.runtime.settings.origins.allows(origin) {
            headers.add(name: "Access-Control-Allow-Origin", value: origin)
            headers.add(name: "Access-Control-Allow-Credentials", value: "true")
            headers.add(name: "Vary", value: "Origin")
            if head.method == .OPTIONS {
                headers.add(name: "Access-Control-Allow-Methods", value: "GET, POST, OPTIONS")
                headers.add(name: "Access-Control-Allow-Headers", value: "content-type, authorization")
            }
        }
        let response = HTTPResponseHead(version: head.version, status: answer.status, headers: headers)
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
        if keepAlive {
            idleClose = context.eventLoop.scheduleTask(in: Self.idleTimeout) { channel.close(promise: nil) }
        }
    }
}
