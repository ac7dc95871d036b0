import HeraldModel
import NIOCore
import NIOHTTP1

/// The long-polling transport's decisions for one HTTP request: open a session (a GET without a session id),
/// take a client's messages (POST), or hand it what waits (GET, held until something does).
enum LongPolling {
    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var body: ByteBuffer
        var contentType = "text/plain; charset=UTF-8"
        /// `Retry-After`, in seconds, for a refusal worth retrying.
        var retryAfterSeconds: Int?
    }

    static func respond(
        method: HTTPMethod, request: ConnectionRequest, body: ByteBuffer, protocolIndex: Int, runtime: EdgeRuntime,
        client: SocketAddress?, loop: any EventLoop
    ) -> EventLoopFuture<Answer> {
        let clientProtocol = runtime.protocols[protocolIndex]
        guard let style = clientProtocol.longPolling else {
            return loop.makeSucceededFuture(refusal(UpgradeRefusal(.notFound, "no long-polling here")))
        }
        if let refused = style.refusal(of: request) { return loop.makeSucceededFuture(refusal(refused)) }
        let settings = runtime.settings
        guard settings.origins.allows(request.origin) else {
            return loop.makeSucceededFuture(
                refusal(
                    UpgradeRefusal(.permissionDenied, "origin \(request.origin ?? "") is not in edge.allowed_origins")))
        }
        guard let id = style.sessionID(of: request) else {
            guard method == .GET else {
                return loop.makeSucceededFuture(
                    refusal(UpgradeRefusal(.invalidPayload, "open a session with a GET first")))
            }
            if let refused = runtime.attempts.admit(from: client, limit: settings.connectionAttemptsPerIP) {
                return loop.makeSucceededFuture(refusal(refused))
            }
            return open(request, style: style, protocolIndex: protocolIndex, runtime: runtime, loop: loop)
        }
        guard let session = runtime.polling.session(id) else {
            return loop.makeSucceededFuture(Answer(status: .badRequest, body: style.unknownSession))
        }
        let sessionLoop = session.connection.loop
        switch method {
        case .GET:
            return sessionLoop.flatSubmit { () -> EventLoopFuture<Answer> in
                guard let polled = session.outlet.poll(on: sessionLoop) else {
                    session.driver.terminate(.protocolError, reason: "two GETs at once on one polling session")
                    return sessionLoop.makeSucceededFuture(
                        refusal(UpgradeRefusal(.invalidPayload, "one GET at a time per polling session")))
                }
                return polled.map { Answer(status: .ok, body: $0) }
            }.hop(to: loop)
        case .POST:
            let messages: [ByteBuffer]
            do {
                messages = try style.messages(in: body, limit: settings.maxMessageBytes)
            } catch {
                sessionLoop.execute {
                    session.driver.terminate(.protocolError, reason: "an unreadable polling body")
                }
                return loop.makeSucceededFuture(
                    refusal(UpgradeRefusal(.invalidPayload, "the body is not a payload of this protocol")))
            }
            return sessionLoop.submit {
                for message in messages { session.driver.receive(text: message) }
                session.driver.flushIfNeeded()
                return Answer(status: .ok, body: ByteBuffer(string: "ok"), contentType: "text/html")
            }.hop(to: loop)
        default:
            return loop.makeSucceededFuture(
                refusal(UpgradeRefusal(.invalidPayload, "long-polling takes GET and POST")))
        }
    }

    private static func open(
        _ request: ConnectionRequest, style: any LongPollingStyle, protocolIndex: Int, runtime: EdgeRuntime,
        loop: any EventLoop
    ) -> EventLoopFuture<Answer> {
        let settings = runtime.settings
        var overCapacity: String?
        if !runtime.registry.reserve(limit: settings.connectionsPerEdge) {
            let message =
                "CONNECTION_LIMIT: this edge holds its maximum of \(settings.connectionsPerEdge) connections; retry later"
            guard runtime.protocols[protocolIndex].refusesInBand else {
                return loop.makeSucceededFuture(refusal(UpgradeRefusal(.connectionLimit, message)))
            }
            overCapacity = message
        }
        let shard = runtime.shard(for: loop)
        let connection = EdgeConnection(id: ConnectionID.generate(), loopIndex: shard.index, loop: loop)
        connection.holdsPlace = overCapacity == nil
        let clientProtocol = runtime.protocols[protocolIndex]
        let outlet = PollingOutlet(style: style, maxPendingBytes: settings.maxPendingBytes)
        connection.outlet = outlet
        let driver = ConnectionDriver(
            connection: connection,
            session: clientProtocol.makeSession(
                SessionContext(
                    connectionID: connection.id, request: request, principal: nil, settings: settings,
                    lanes: runtime.lanes[protocolIndex], now: .now(), overCapacity: overCapacity)),
            runtime: runtime, protocolName: clientProtocol.name)
        let session = PollingSession(connection: connection, driver: driver, outlet: outlet)
        outlet.onClose = { [unowned runtime, unowned session] in
            loop.execute { session.end(runtime) }
        }
        outlet.onOverflow = { [unowned session] in
            loop.execute { session.driver.slowConsumer() }
        }
        runtime.polling.insert(session)
        return loop.flatSubmit {
            session.driver.start()
            guard let opened = session.outlet.poll(on: loop) else {
                return loop.makeSucceededFuture(refusal(UpgradeRefusal(.internal, "the new session is already polled")))
            }
            return opened.map { Answer(status: .ok, body: $0) }
        }
    }

    static func refusal(_ refusal: UpgradeRefusal) -> Answer {
        Answer(
            status: HTTPResponseStatus(statusCode: refusal.status), body: ByteBuffer(string: refusal.body),
            contentType: "application/json", retryAfterSeconds: refusal.retryAfterSeconds)
    }
}
