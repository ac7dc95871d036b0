import AsyncHTTPClient
import HeraldAdmin
import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOCore
import ServiceLifecycle

/// herald-batcher: holds medium and low priority events in their windows (coalescing what the same window
/// holds twice), hands every flush and every high-priority event to its engine, which numbers, remembers and
/// delivers them to the edges, and answers the edges' interest, recovery and session requests from the engine.
///
/// An event is settled back to the authorizer only once every part of it was delivered (written to every
/// interested edge) or superseded, so a batcher killed while its windows hold events loses nothing the
/// authorizer will not resend. A graceful stop flushes every window first.
public final class BatcherService: StageService, StageInputDelegate, @unchecked Sendable {
    let loop: any EventLoop
    let logger: Logger
    let engine: any BatcherEngine
    /// The app webhooks; nil when no app has a webhook URL.
    let webhooks: WebhookDispatcher?
    private let webhookClient: HTTPClient?
    private var windows: DeliveryWindows
    private var input: StageInputServer?
    /// Requests passed on to the edges, waiting for their answers.
    let edgeRequests: PeerRequests
    private var published = RecentEventIDs(capacity: 100_000)
    private var pending = PendingSettlements()
    private var flushTimer: Scheduled<Void>?
    private var flushTimerDeadline: Int64?
    private let clock: () -> Int64
    /// `events.online_events`, and the audiences they get.
    var online: OnlineAnnouncer
    let audiences: AudienceMatrix
    var counters = Counters()

    struct Counters {
        var eventsIn = 0
        var duplicates = 0
        var framesOut = 0
        var coalesced = 0
        var flushes = 0
        var recoveries = 0
        var onlineEvents = 0
    }

    public static func start(_ environment: DaemonEnvironment) async throws -> BatcherService {
        let configuration = environment.configuration
        let batcher = configuration.batcher
        let loop = environment.group.next()
        let logger = environment.logger
        let engine: any BatcherEngine
        switch configuration.engine.type {
        case .memory:
            let fanOut = EdgeFanOut { edge in EdgeOutbox(peer: edge, logger: logger) }
            engine = MemoryEngine(
                loop: loop, fanOut: fanOut, retention: batcher.history(of:),
                presenceGraceMilliseconds: Int64(configuration.edge.presenceGraceMilliseconds),
                lostEdgeGrace: .milliseconds(configuration.edge.presenceGraceMilliseconds))
        case .redis:
            throw HeraldError(.internal, "engine.type redis is not available in this build yet; use memory")
        }
        let windows = DeliveryWindows(batcher, coalescing: configuration.events.coalescing)
        var webhookClient: HTTPClient?
        if configuration.apps.contains(where: { !$0.webhooks.isEmpty }) {
            webhookClient = WebhookDispatcher.makeClient(on: environment.group)
        }
        let service = BatcherService(
            loop: loop, logger: logger, engine: engine, windows: windows, events: configuration.events,
            apps: configuration.apps, webhookClient: webhookClient)
        service.input = try await StageInputServer.start(
            boundSocket: environment.listener("input"), hello: environment.hello, loop: service.loop, delegate: service,
            logger: environment.logger)
        return service
    }

    /// `clock` gives monotonic milliseconds: the windows' time (tests pass a manual one).
    /// Webhooks go to `apps`' URLs over `webhookClient`; none without a client.
    init(
        loop: any EventLoop, logger: Logger, engine: any BatcherEngine, windows: DeliveryWindows,
        events: EventsConfig = EventsConfig(), apps: [AppConfig] = [], webhookClient: HTTPClient? = nil,
        clock: @escaping () -> Int64 = BatcherService.monotonicMilliseconds
    ) {
        self.clock = clock
        self.loop = loop
        self.logger = logger
        self.engine = engine
        self.windows = windows
        self.edgeRequests = PeerRequests(loop: loop)
        self.online = OnlineAnnouncer(rules: events.onlineEvents)
        self.audiences = AudienceMatrix(events)
        self.webhookClient = webhookClient
        if let webhookClient {
            let webhooks = WebhookDispatcher(
                apps: apps, loop: loop, client: webhookClient, logger: logger, now: Clock.wallMilliseconds)
            self.webhooks = webhooks
            engine.occupancyChanged = { changes in
                webhooks.emit(
                    changes.map { change in
                        switch change {
                        case .occupied(let channel): WebhookEvent.channelOccupied(channel)
                        case .vacated(let channel): WebhookEvent.channelVacated(channel)
                        }
                    })
            }
        } else {
            self.webhooks = nil
        }
        engine.presenceObserver = { [weak self] changes, time in self?.presenceChanged(changes, at: time) }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try? await loop.flatSubmit { self.drain() }.get()
        await input?.close()
        try? await webhookClient?.shutdown()
    }

    /// Flushes every window (graceful stop) and completes once those events are delivered.
    func drain() -> EventLoopFuture<Void> {
        flushTimer?.cancel()
        flushTimer = nil
        let held = windows.heldCount
        let output = windows.drain()
        if held > 0 {
            logger.info("flushing the windows before stopping", metadata: ["herald.events": "\(held)"])
        }
        return EventLoopFuture.andAllComplete(take(output), on: loop)
    }

    // MARK: StageInputDelegate (on loop)

    public func peerJoined(_ peer: StagePeer) {
        logger.info("stage connected", metadata: ["herald.peer": "\(peer)"])
        if peer.hello.stage == Stage.wsEdge.rawValue { engine.edgeJoined(peer) }
    }

    public func peerLeft(_ peer: StagePeer) {
        engine.edgeLeft(peer)
        edgeRequests.peerLeft(peer)
    }

    public func peer(_ peer: StagePeer, sent message: WireMessage) {
        switch message {
        case .event(let event): take(event, from: peer)
        case .request(let request): handle(request, from: peer)
        case .notice(let notice): handle(notice, from: peer)
        case .response(let response):
            guard edgeRequests.received(response, from: peer) else {
                logger.debug("a response came too late or answers nothing", metadata: ["herald.peer": "\(peer)"])
                return
            }
        default:
            logger.debug("ignoring message", metadata: ["herald.peer": "\(peer)"])
        }
    }

    // MARK: Events

    private func take(_ event: WireEvent, from source: StagePeer) {
        counters.eventsIn += 1
        if pending.contains(event.id) {
            // Resent over a new link while a window still holds it: settle it there once delivered.
            counters.duplicates += 1
            pending.redirect(event.id, to: source)
            source.send(.ack([event.id]))
            return
        }
        guard published.insert(event.id) else {
            counters.duplicates += 1
            source.send(.ack([event.id]))
            source.send(.settled([event.id]))
            return
        }
        source.send(.ack([event.id]))
        reportClientEvent(event)
        pending.open(event.id, parts: event.channels.count, source: source)
        let now = clock()
        for channel in event.channels {
            var part = event
            part.channels = [channel]
            _ = take(windows.add(EventOnChannel(channel: channel, event: part), now: now))
        }
        scheduleFlush()
    }

    /// Publishes what the windows let out and settles what they superseded. Returns the publications.
    @discardableResult
    private func take(_ output: WindowOutput) -> [EventLoopFuture<Void>] {
        counters.coalesced += output.superseded.count
        for part in output.superseded { partDone(part.event.id) }
        return output.batches.map { batch in
            counters.framesOut += engine.fanOut.followers(of: batch.channel).count
            if batch.priority != .high { counters.flushes += 1 }
            let ids = batch.events.map(\.id)
            let published = engine.publish(batch.events, on: batch.channel)
            published.whenComplete { result in
                if case .failure(let error) = result {
                    self.logger.warning(
                        "an edge did not take a delivery; it replays from history when it restates its interest",
                        metadata: ["herald.channel": "\(batch.channel)", "herald.error": "\(error)"])
                }
                for id in ids { self.partDone(id) }
            }
            return published
        }
    }

    private func partDone(_ id: EventID) {
        guard let source = pending.partDone(id) else { return }
        source.send(.settled([id]))
    }

    private func scheduleFlush() {
        guard let deadline = windows.nextDeadline else {
            flushTimer?.cancel()
            flushTimer = nil
            flushTimerDeadline = nil
            return
        }
        guard deadline != flushTimerDeadline else { return }
        flushTimer?.cancel()
        flushTimerDeadline = deadline
        let delay = max(deadline - clock(), 0)
        flushTimer = loop.assumeIsolated().scheduleTask(in: .milliseconds(delay)) { [self] in
            flushTimer = nil
            flushTimerDeadline = nil
            take(windows.due(now: clock()))
            scheduleFlush()
        }
    }

    static func monotonicMilliseconds() -> Int64 {
        Int64(NIODeadline.now().uptimeNanoseconds / 1_000_000)
    }

    // MARK: Requests

    private func handle(_ request: Request, from peer: StagePeer) {
        switch request.method {
        case StageRequests.interest:
            answer(request, to: peer) { params in
                let change = try StageRequests.decode(StageRequests.InterestChange.self, from: params)
                return self.engine.follow(change, from: peer).map {
                    StageRequests.encode(StageRequests.InterestPositions(positions: $0))
                }
            }
        case StageRequests.recover:
            answer(request, to: peer) { params in
                let recover = try StageRequests.decode(StageRequests.Recover.self, from: params)
                self.counters.recoveries += recover.channels.count
                return self.engine.recover(recover)
            }
        case StageRequests.sessionSave:
            answer(request, to: peer) { params in
                let save = try StageRequests.decode(StageRequests.SessionSave.self, from: params)
                return self.engine.saveSession(save).map { ByteBuffer(string: "{}") }
            }
        case StageRequests.sessionLoad:
            answer(request, to: peer) { params in
                let load = try StageRequests.decode(StageRequests.SessionLoad.self, from: params)
                return self.engine.loadSession(pid: load.pid).flatMapThrowing { record in
                    guard let record else { throw HeraldError(.notFound, "no session \(load.pid) to recover") }
                    return StageRequests.encode(record)
                }
            }
        case StageRequests.presenceJoin:
            answer(request, to: peer) { params in
                let seat = try StageRequests.PresenceSeat(params: params)
                guard seat.member != nil else { throw HeraldError(.invalidPayload, "presence-join: user: missing") }
                return self.engine.presenceJoin(seat, from: peer).map {
                    StageRequests.PresenceList(members: $0).encoded
                }
            }
        case StageRequests.presenceRestate:
            answer(request, to: peer) { params in
                let restatement = try StageRequests.PresenceRestatement(params: params)
                return self.engine.presenceRestate(restatement.seats, from: peer).map { ByteBuffer(string: "{}") }
            }
        case StageRequests.presenceMembers:
            answer(request, to: peer) { params in
                let query = try StageRequests.PresenceQuery(params: params)
                return self.engine.presenceMembers(of: query.channel).map {
                    StageRequests.PresenceList(members: $0).encoded
                }
            }
        case let method where StageRequests.answeredByEdges.contains(method):
            askEdges(request, from: peer)
        default:
            answer(request, to: peer) { _ in throw HeraldError(.notFound, "unknown request '\(request.method)'") }
        }
    }

    /// Answers `request` with what `body` produces, after everything already written to the peer when it is an
    /// edge (the answer to `interest` or `recover` must follow the deliveries before it).
    private func answer(
        _ request: Request, to peer: StagePeer, _ body: @escaping (ByteBuffer) throws -> EventLoopFuture<ByteBuffer>
    ) {
        let result: EventLoopFuture<ByteBuffer>
        do {
            result = try body(request.params)
        } catch {
            result = loop.makeFailedFuture(error)
        }
        result.whenComplete { outcome in
            let response = Response(id: request.id, outcome: outcome.mapError { WireFailure($0) })
            if peer.hello.stage == Stage.wsEdge.rawValue {
                self.engine.send(.response(response), to: peer)
            } else {
                peer.send(.response(response))
            }
        }
    }

    // MARK: StageService

    private func snapshot() async -> (Counters, Int, Int, Int, WebhookQueue.Counters) {
        (try? await loop.submit {
            (
                self.counters, self.engine.fanOut.edgeCount, self.engine.channelCount, self.windows.heldCount,
                self.webhooks?.counters ?? WebhookQueue.Counters()
            )
        }.get()) ?? (Counters(), 0, 0, 0, WebhookQueue.Counters())
    }

    public func statusLine() async -> String {
        let (c, edgeCount, channels, held, _) = await snapshot()
        return "events \(c.eventsIn), held \(held), edges \(edgeCount), channels \(channels)"
    }

    public func stats() async -> AdminValue {
        let (c, edgeCount, channels, held, w) = await snapshot()
        return [
            "events_in": .int(Int64(c.eventsIn)), "duplicates": .int(Int64(c.duplicates)),
            "frames_out": .int(Int64(c.framesOut)), "coalesced": .int(Int64(c.coalesced)),
            "flushes": .int(Int64(c.flushes)), "held": .int(Int64(held)),
            "recoveries": .int(Int64(c.recoveries)), "online_events": .int(Int64(c.onlineEvents)),
            "edges": .int(Int64(edgeCount)), "channels": .int(Int64(channels)),
            "webhook_posts": .int(Int64(w.posts)), "webhook_posts_failed": .int(Int64(w.failedPosts)),
            "webhook_events_delivered": .int(Int64(w.deliveredEvents)),
            "webhook_events_abandoned": .int(Int64(w.abandonedEvents)),
            "webhook_events_overflowed": .int(Int64(w.overflowEvents)),
        ]
    }

    public func probe() async throws {
        _ = try await loop.submit { self.engine.fanOut.edgeCount }.get()
    }
}
