import HeraldModel
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection of the publish API, behind NIO's server pipeline (which parses, encodes and holds
/// pipelined requests back until the previous answer is written).
///
/// It only moves bytes and futures: `IngressAPI.plan` decides from the head, the body is collected up to
/// `ingress.max_body_bytes` (a larger body gets 413 as soon as its declared or received size says so, and is
/// never buffered), and `IngressAPI.respond` produces the answer. Bytes that are not HTTP get 400 and the
/// connection is closed. Confined to the channel's event loop.
final class IngressHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long a connection that was answered with an error stays half-open to drain what the client is still
    /// sending, so that the kernel does not reset the connection before the client reads the answer.
    static let lingerBeforeClose = TimeAmount.seconds(2)
    /// How long a connection may stay silent between or inside requests before it is closed.
    static let idleTimeout = TimeAmount.seconds(60)

    private struct Request {
        var version: HTTPVersion
        var method: HTTPMethod
        var uri: String
        var keepAlive: Bool
        var requestID: String
        var logger: Logger
        var settings: IngressSettings
        var plan: RequestPlan
        var body = ByteBuffer()
        var received = 0
        var started = ContinuousClock.now
    }

    private enum State {
        case idle
        case reading(Request)
        case responding
        /// An answer that ends the connection was sent; everything else is ignored.
        case closing
    }

    private let api: IngressAPI
    private let settings: NIOLockedValueBox<IngressSettings>
    private let counters: NIOLockedValueBox<IngressCounters>
    private let logger: Logger
    private var state = State.idle
    private var isActive = true

    init(
        api: IngressAPI, settings: NIOLockedValueBox<IngressSettings>, counters: NIOLockedValueBox<IngressCounters>,
        logger: Logger
    ) {
        self.api = api
        self.settings = settings
        self.counters = counters
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): begin(head, context: context)
        case .body(let chunk): receive(chunk, context: context)
        case .end: end(context: context)
        }
    }

    private func begin(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard case .idle = state else { return }
        let requestID = RequestID.of(head.headers)
        var logger = self.logger
        logger[metadataKey: "herald.request.id"] = "\(requestID)"
        let settings = self.settings.withLockedValue { $0 }
        let request = Request(
            version: head.version, method: head.method, uri: head.uri, keepAlive: head.isKeepAlive,
            requestID: requestID, logger: logger, settings: settings,
            plan: IngressAPI.plan(head, settings: settings))
        let expectsContinue = head.headers[canonicalForm: "expect"].contains { $0.lowercased() == "100-continue" }
        switch request.plan {
        case .refuse(let response):
            send(response, for: request, closing: true, lingering: true, context: context)
            return
        case .respond(let response) where expectsContinue:
            // The client waits for our word before sending its body: the answer is already known, so it never has to.
            send(response, for: request, closing: true, lingering: true, context: context)
            return
        case .respond, .health, .publish, .pusherPublish, .pusherQuery, .roomEvent:
            if expectsContinue {
                let interim = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
            }
        }
        state = .reading(request)
    }

    private func receive(_ chunk: ByteBuffer, context: ChannelHandlerContext) {
        guard case .reading(var request) = state else { return }
        state = .responding  // lets `request.body` be appended to without a copy
        request.received += chunk.readableBytes
        guard request.received <= request.settings.maxBodyBytes else {
            let limit = request.settings.maxBodyBytes
            send(
                IngressAPI.tooLarge(request.received, limit: limit), for: request, closing: true, lingering: true,
                context: context)
            return
        }
        if request.plan.collectsBody {
            if request.body.readableBytes == 0 {
                request.body = chunk
            } else {
                var chunk = chunk
                request.body.writeBuffer(&chunk)
            }
        }
        state = .reading(request)
    }

    private func end(context: ChannelHandlerContext) {
        guard case .reading(let request) = state else { return }
        state = .responding
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        api.respond(
            request.plan, body: request.body, settings: request.settings, logger: request.logger,
            on: context.eventLoop
        ).whenComplete { result in
            let (handler, context) = bound.value
            let response: IngressResponse
            switch result {
            case .success(let answer): response = answer
            case .failure(let error): response = .error(HeraldError(.internal, "\(error)"))
            }
            handler.send(response, for: request, closing: !request.keepAlive, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .closing:
            return
        case .idle, .reading:
            guard error is HTTPParserError else { break }
            let refusal = IngressResponse.error(
                HeraldError(.invalidPayload, "not a valid HTTP/1.1 request (\(error)); closing the connection"))
            var request = Request(
                version: .http1_1, method: .GET, uri: "", keepAlive: false, requestID: RequestID.generate(),
                logger: logger, settings: settings.withLockedValue { $0 }, plan: .refuse(refusal))
            if case .reading(let started) = state {
                request = started
                request.plan = .refuse(refusal)
            }
            send(refusal, for: request, closing: true, lingering: true, context: context)
            return
        case .responding:
            break
        }
        logger.debug("connection failed", metadata: ["herald.error": "\(error)"])
        state = .closing
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case IdleStateHandler.IdleStateEvent.read = event else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        switch state {
        case .idle, .reading:
            logger.debug("closing an idle connection")
            state = .closing
            context.close(promise: nil)
        case .responding, .closing:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isActive = false
        context.fireChannelInactive()
    }

    /// Writes one answer. `closing` ends the connection after it; `lingering` (for answers sent before the request
    /// was read to its end) first closes only our side and drains the client's for a while.
    private func send(
        _ response: IngressResponse, for request: Request, closing: Bool, lingering: Bool = false,
        context: ChannelHandlerContext
    ) {
        counters.withLockedValue { $0.count(status: Int(response.status.code)) }
        let status = Int(response.status.code)
        let elapsed = ContinuousClock.now - request.started
        request.logger.debug(
            "answered",
            metadata: [
                "herald.http.method": "\(request.method.rawValue)",
                "herald.http.path": "\(Route.path(of: request.uri))",
                "herald.http.status": "\(status)",
                "herald.duration_ms":
                    "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
            ])
        guard isActive else {
            state = .closing
            return
        }
        var headers = response.headers
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(response.body.readableBytes))
        headers.add(name: RequestID.header, value: request.requestID)
        if closing {
            headers.add(name: "Connection", value: "close")
        } else if request.version.major == 1, request.version.minor == 0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        let head = HTTPResponseHead(version: request.version, status: response.status, headers: headers)
        // Set before `.end` is written: writing it may deliver the next pipelined request at once.
        state = closing ? .closing : .idle
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        guard closing else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            let context = bound.value
            guard lingering else {
                context.close(promise: nil)
                return
            }
            context.close(mode: .output, promise: nil)
            let channel = context.channel
            channel.eventLoop.scheduleTask(in: Self.lingerBeforeClose) { channel.close(promise: nil) }
        }
    }
}
