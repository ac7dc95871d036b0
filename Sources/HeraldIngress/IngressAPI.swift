import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// The publish API's decisions, kept out of the NIO handler: what to do with a request once its head is in
/// (`plan`), and the answer once its body is (`respond`). The handler only moves bytes and futures.
public final class IngressAPI: Sendable {
    public let handoff: EventHandoff
    public let health: PipelineHealth
    /// `limits.app_events_per_second_per_room`, shared by every connection; its limit follows the settings.
    let roomLimits: NIOLockedValueBox<RoomEventLimiter>
    /// The time rate limits are counted in; tests pass a manual clock.
    let now: @Sendable () -> NIODeadline

    public init(
        handoff: EventHandoff, health: PipelineHealth, now: @escaping @Sendable () -> NIODeadline = { .now() }
    ) {
        self.handoff = handoff
        self.health = health
        self.roomLimits = NIOLockedValueBox(RoomEventLimiter(perSecondPerRoom: 0))
        self.now = now
    }

    /// Decides from the head alone: unknown routes, wrong methods, missing credentials and declared oversize
    /// bodies are settled before a byte of the body is buffered.
    public static func plan(_ head: HTTPRequestHead, settings: IngressSettings) -> RequestPlan {
        if let declared = head.headers.first(name: "content-length").flatMap({ Int($0) }),
            declared > settings.maxBodyBytes
        {
            return .refuse(tooLarge(declared, limit: settings.maxBodyBytes))
        }
        switch Route.match(method: head.method, uri: head.uri) {
        case .notFound(let path):
            return .respond(.notFound(path: path))
        case .methodNotAllowed(let path, let allowed):
            return .respond(.methodNotAllowed(path: path, method: head.method, allowed: allowed))
        case .route(.info):
            return .respond(ServiceInfo.response(settings))
        case .route(.health):
            return .health
        case .route(.publish(let endpoint)):
            do {
                _ = try settings.authenticator.authorize(head.headers.first(name: "authorization"), for: .publish)
            } catch {
                return .respond(.error(error))
            }
            return .publish(endpoint)
        case .route(.roomEvent(let roomID)):
            do {
                let app = try settings.appAuthenticator.authorize(
                    authorization: head.headers.first(name: "authorization"),
                    appID: head.headers.first(name: "x-app-id"))
                try RoomEventParser.checkRoomID(roomID)
                return .roomEvent(RoomEventTarget(appID: app.id, roomID: roomID))
            } catch {
                return .respond(.error(error))
            }
        case .route(.pusher(let appID, let endpoint)):
            do {
                return .pusherPublish(
                    try settings.pusherAuthenticator.authorize(
                        method: head.method.rawValue, uri: head.uri, appID: appID, endpoint: endpoint))
            } catch {
                return .respond(.error(error))
            }
        case .route(.pusherQuery(let appID, let endpoint)):
            do {
                return .pusherQuery(
                    try settings.pusherAuthenticator.authorize(
                        method: head.method.rawValue, uri: head.uri, appID: appID, endpoint: endpoint))
            } catch {
                return .respond(.error(error))
            }
        }
    }

    /// 413 for a body over `ingress.max_body_bytes` (`size` is what was declared or received so far).
    public static func tooLarge(_ size: Int, limit: Int) -> IngressResponse {
        .error(
            HeraldError(
                .messageTooLarge,
                "request body of \(size) bytes or more exceeds the \(limit)-byte limit (ingress.max_body_bytes); "
                    + "send smaller payloads or split the batch"))
    }

    /// The answer to a request whose body has been read, on `loop`.
    public func respond(
        _ plan: RequestPlan, body: ByteBuffer, settings: IngressSettings, logger: Logger, on loop: any EventLoop
    ) -> EventLoopFuture<IngressResponse> {
        switch plan {
        case .refuse(let response), .respond(let response):
            return loop.makeSucceededFuture(response)
        case .health:
            let health = self.health
            let promise = loop.makePromise(of: IngressResponse.self)
            promise.completeWithTask { PipelineHealth.response(await health.check()) }
            return promise.futureResult
        case .publish(let endpoint):
            let events: [WireEvent]
            do {
                events = try settings.parser.parse(body, for: endpoint)
            } catch {
                logger.debug("refused a publish", metadata: ["herald.error": "\(error.message)"])
                return loop.makeSucceededFuture(.error(error))
            }
            let answer: IngressResponse =
                endpoint == .broadcast ? .accepted(id: events[0].id) : .accepted(ids: events.map(\.id))
            return deliver(events, answer: answer, settings: settings, logger: logger, on: loop)
        case .pusherPublish(let publish):
            let trigger: PusherEventParser.Trigger
            do {
                try publish.verifyBody(body.readableBytesView)
                var parsed = try settings.pusherParser.parse(body, for: publish.endpoint)
                // The authorizer counts the app's events against limits.app_events_per_minute.
                for index in parsed.events.indices { parsed.events[index].appID = publish.appID }
                trigger = parsed
            } catch {
                logger.debug(
                    "refused a Pusher trigger",
                    metadata: ["herald.app.id": "\(publish.appID)", "herald.error": "\(error.message)"])
                return loop.makeSucceededFuture(.error(error))
            }
            let delivered = deliver(
                trigger.events, answer: .pusherTriggered(), settings: settings, logger: logger, on: loop)
            guard trigger.wantsInfo else { return delivered }
            return delivered.flatMap { answer in
                guard answer.status == .ok else { return loop.makeSucceededFuture(answer) }
                return self.describe(trigger, endpoint: publish.endpoint, logger: logger, on: loop)
            }
        case .pusherQuery(let query):
            do {
                try query.verifyBody(body.readableBytesView)
            } catch {
                logger.debug(
                    "refused a Pusher query",
                    metadata: ["herald.app.id": "\(query.appID)", "herald.error": "\(error.message)"])
                return loop.makeSucceededFuture(.error(error))
            }
            return ask(query, logger: logger, on: loop)
        case .roomEvent(let target):
            return publishRoomEvent(to: target, body: body, settings: settings, logger: logger, on: loop)
        }
    }

    /// The `info` answer of an accepted trigger: the channels' attributes as the edges report them now. Should
    /// the edges not answer, the events were still accepted, so the answer is `{}` and a warning is logged.
    private func describe(
        _ trigger: PusherEventParser.Trigger, endpoint: PusherEndpoint, logger: Logger, on loop: any EventLoop
    ) -> EventLoopFuture<IngressResponse> {
        let users = trigger.info.contains { $0?.userCount == true }
        let query = StageRequests.ChannelsQuery(users: users ? true : nil)
        return handoff.link.request(method: StageRequests.channelsQuery, params: StageRequests.encode(query))
            .flatMapThrowing { try StageRequests.decode(StageRequests.ChannelStates.self, from: $0) }
            .hop(to: loop)
            .map { IngressResponse.pusherTriggered(endpoint, events: trigger.events, info: trigger.info, states: $0) }
            .recover { error in
                logger.warning(
                    "accepted a trigger but could not read its channels' attributes",
                    metadata: ["herald.error": "\(error)"])
                return .pusherTriggered()
            }
    }

    /// Asks the edges through the authorizer and the batcher, and renders their merged answer; 503 when the
    /// pipeline does not answer in time. Edges that did not answer the batcher in time are left out of the merge.
    private func ask(_ query: PusherQuery, logger: Logger, on loop: any EventLoop) -> EventLoopFuture<IngressResponse> {
        let request = query.question.stageRequest
        var logger = logger
        logger[metadataKey: "herald.app.id"] = "\(query.appID)"
        logger[metadataKey: "herald.request"] = "\(request.method)"
        return handoff.link.request(method: request.method, params: request.params).hop(to: loop).map { [logger] in
            do {
                return try query.question.response(to: $0)
            } catch {
                logger.error("the edges' merged answer did not decode", metadata: ["herald.error": "\(error)"])
                return .error(
                    HeraldError(.internal, "the edges' answer was malformed; report this with the request id"))
            }
        }.recover { [logger] error in
            let message = (error as? HeraldError)?.message ?? "\(error)"
            logger.warning("the edges' state could not be read", metadata: ["herald.error": "\(message)"])
            return .error(HeraldError(.unavailable, "the pipeline did not answer (\(message)); retry later"))
        }
    }

    /// Hands `events` to the authorizer and answers `answer` once it took them all, or the error that says why not.
    func deliver(
        _ events: [WireEvent], answer: IngressResponse, settings: IngressSettings, logger: Logger,
        on loop: any EventLoop
    ) -> EventLoopFuture<IngressResponse> {
        handoff.deliver(events, timeout: settings.acceptTimeout).hop(to: loop).map {
            if logger.logLevel <= .debug {
                for event in events {
                    logger.debug(
                        "event accepted",
                        metadata: [
                            "herald.event.id": "\(event.id)", "herald.event": "\(event.name)",
                            "herald.channel": "\(event.channels.joined(separator: ","))",
                        ])
                }
            }
            return answer
        }.recover { error in
            let error = error as? HeraldError ?? HeraldError(.internal, "\(error)")
            logger.warning(
                "events not accepted",
                metadata: ["herald.events": "\(events.count)", "herald.error": "\(error.message)"])
            return .error(error)
        }
    }
}
