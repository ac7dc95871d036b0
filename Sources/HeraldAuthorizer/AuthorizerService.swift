import Foundation
import HeraldAdmin
import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldTokens
import HeraldWire
import Logging
import NIOCore
import ServiceLifecycle

/// herald-authorizer: verifies tokens, decides subscriptions, and passes every event on to the batcher
/// with its audience.
///
/// Events from ingress are acknowledged as soon as the batcher link holds them, and reported settled to
/// the ingress connection they came from once the batcher settles them. State is confined to `loop`: the
/// input server, the batcher link and this object all live on it.
public final class AuthorizerService: StageService, StageInputDelegate, @unchecked Sendable {
    let loop: any EventLoop
    let logger: Logger
    /// Replaced on reload (a new secret, issuer or audience); read and written on `loop` only.
    private var verifier: TokenVerifier
    /// Replaced on reload (new rules, required roles or hook); read and written on `loop` only.
    private var policy: any ChannelPolicy
    /// Answers ingress's `room-check` from the backend hook; nil without `auth.hook.url` (every room exists).
    /// Replaced on reload; read and written on `loop` only.
    var rooms: (any RoomDirectory)?
    /// The event rate limits; replaced limits come with a reload.
    private var limiter: EventLimiter
    /// `limits.connections_per_user`, across every edge.
    var connections: UserConnections<StagePeer>
    /// Who receives which events (`events.audiences`); replaced on reload.
    private var audiences: AudienceMatrix
    /// The apps, whose `rpc` takes clients' calls; replaced on reload.
    var apps: [AppConfig] = []
    let rpc: RPCHook
    private let now: @Sendable () -> NIODeadline
    private var batcher: UpstreamLink!
    private var input: StageInputServer?
    /// Revoked token ids, kept across restarts.
    let revocations: RevocationLog
    /// The connected edges, which close a revoked token's connections; and the requests sent down to them.
    var edges: Set<StagePeer> = []
    let edgeRequests: PeerRequests

    /// Where each in-flight event came from, so its `settled` goes back there.
    private var origins: [EventID: StagePeer] = [:]
    private var seen = RecentEventIDs(capacity: 100_000)
    private var counters = Counters()

    struct Counters {
        var eventsIn = 0
        var duplicates = 0
        var refused = 0
        var limited = 0
        var settled = 0
        var connectsAllowed = 0
        var connectsDenied = 0
        var subscribesAllowed = 0
        var subscribesDenied = 0
    }

    public static func start(_ environment: DaemonEnvironment) async throws -> AuthorizerService {
        let revocations = RevocationLog(
            directory: RevocationLog.directory(
                environment: ProcessInfo.processInfo.environment, runtimeDirectory: environment.runtime.path))
        let revoked = try revocations.load()
        let verifier = try await TokenVerifier(auth: environment.configuration.auth, revoked: revoked)
        environment.logger.info(
            "token keys loaded",
            metadata: [
                "herald.token.algorithms": "\(verifier.algorithms.map(\.rawValue).sorted())",
                "herald.token.revoked": "\(revoked.count)", "herald.revocations.file": "\(revocations.path)",
            ])
        let service = AuthorizerService(
            loop: environment.group.next(), logger: environment.logger, verifier: verifier,
            policy: Self.policy(environment.configuration, logger: environment.logger),
            rooms: HTTPAuthHook.configuredRooms(environment.configuration.auth.hook, logger: environment.logger),
            revocations: revocations,
            limits: environment.configuration.limits, audiences: AudienceMatrix(environment.configuration.events),
            apps: environment.configuration.apps)
        try await service.loop.submit {
            var callbacks = UpstreamLink.Callbacks()
            callbacks.settled = { [service] ids in service.batcherSettled(ids) }
            service.batcher = UpstreamLink(
                configuration: .init(
                    peer: "batcher", socketPath: environment.runtime.inputSocket(of: Stage.batcher.rawValue),
                    hello: environment.hello, capacity: environment.configuration.ingress.resendBufferEvents),
                loop: service.loop, callbacks: callbacks, logger: environment.logger)
            service.batcher.start()
        }.get()
        service.input = try await StageInputServer.start(
            boundSocket: environment.listener("input"), hello: environment.hello, loop: service.loop, delegate: service,
            logger: environment.logger)
        return service
    }

    init(
        loop: any EventLoop, logger: Logger, verifier: TokenVerifier, policy: any ChannelPolicy,
        rooms: (any RoomDirectory)? = nil, revocations: RevocationLog, limits: LimitsConfig = LimitsConfig(),
        audiences: AudienceMatrix = AudienceMatrix(EventsConfig()), apps: [AppConfig] = [],
        now: @escaping @Sendable () -> NIODeadline = { .now() }
    ) {
        self.loop = loop
        self.revocations = revocations
        self.edgeRequests = PeerRequests(loop: loop)
        self.logger = logger
        self.verifier = verifier
        self.policy = policy
        self.rooms = rooms
        self.limiter = EventLimiter(limits: limits)
        self.connections = UserConnections(limit: limits.connectionsPerUser)
        self.audiences = audiences
        self.apps = apps
        self.rpc = RPCHook(logger: logger)
        self.now = now
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await input?.close()
        await batcher.stop()
    }

    // MARK: StageInputDelegate (on loop)

    public func peerJoined(_ peer: StagePeer) {
        logger.info("stage connected", metadata: ["herald.peer": "\(peer)"])
        if peer.hello.stage == Stage.wsEdge.rawValue { edges.insert(peer) }
    }

    public func peerLeft(_ peer: StagePeer) {
        origins = origins.filter { $0.value !== peer }
        edges.remove(peer)
        edgeRequests.peerLeft(peer)
        connections.peerLeft(peer)
    }

    public func peer(_ peer: StagePeer, sent message: WireMessage) {
        switch message {
        case .event(let event): accept(event, from: peer)
        case .request(let request) where StageRequests.answeredByEdges.contains(request.method):
            passOn(request, from: peer)
        case .request(let request) where request.method == StageRequests.roomCheck:
            checkRoom(request, from: peer)
        case .request(let request) where request.method == StageRequests.clientRPC:
            call(request, from: peer)
        case .request(let request) where StageRequests.connectionBookkeeping.contains(request.method):
            peer.send(.response(Response(id: request.id, outcome: keepCount(request, from: peer))))
        case .request(let request): answer(request, from: peer)
        case .response(let response): edgeRequests.received(response, from: peer)
        default:
            logger.debug("ignoring message", metadata: ["herald.peer": "\(peer)"])
        }
    }

    private func accept(_ received: WireEvent, from peer: StagePeer) {
        var event = received
        counters.eventsIn += 1
        if origins[event.id] != nil {
            counters.duplicates += 1
            origins[event.id] = peer
            peer.send(.ack([event.id]))
            return
        }
        if seen.contains(event.id) {
            counters.duplicates += 1
            peer.send(.ack([event.id]))
            peer.send(.settled([event.id]))
            return
        }
        let fromEdge = peer.hello.stage == Stage.wsEdge.rawValue
        if let refusal = limiter.admit(EventLimiter.Publication(event, fromEdge: fromEdge), id: event.id, now: now()) {
            counters.limited += 1
            logger.info(
                "event refused by a limit",
                metadata: [
                    "herald.event.id": "\(event.id)", "herald.peer": "\(peer)", "herald.error": "\(refusal.message)",
                ])
            peer.send(.refused(refusal))
            return
        }
        event.audience = audiences.audience(of: event)
        var encoded = ByteBufferAllocator().buffer(capacity: 320 + event.data.readableBytes)
        encoded.writeWireEvent(event)
        guard batcher.offer(encodedEvent: encoded, id: event.id) else {
            counters.refused += 1
            logger.warning(
                "batcher link is full; not acknowledging", metadata: ["herald.event.id": "\(event.id)"])
            return
        }
        _ = seen.insert(event.id)
        origins[event.id] = peer
        peer.send(.ack([event.id]))
    }

    private func batcherSettled(_ ids: [EventID]) {
        counters.settled += ids.count
        var byPeer: [StagePeer: [EventID]] = [:]
        for id in ids {
            if let peer = origins.removeValue(forKey: id) { byPeer[peer, default: []].append(id) }
        }
        for (peer, ids) in byPeer { peer.send(.settled(ids)) }
    }

    private func answer(_ request: Request, from peer: StagePeer) {
        let verifier = self.verifier
        let policy = self.policy
        let loop = self.loop
        Task {
            let outcome: Result<Decision, HeraldError>
            do {
                outcome = .success(try await Self.decide(request, verifier: verifier, policy: policy))
            } catch let error as HeraldError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(HeraldError(.internal, "\(error)"))
            }
            loop.execute {
                let outcome = outcome.flatMap { self.countConnection($0, from: peer) }
                self.count(request.method, allowed: (try? outcome.get()) != nil)
                switch outcome {
                case .success(let result):
                    peer.send(.response(Response(id: request.id, outcome: .success(result))))
                case .failure(let error):
                    peer.send(.response(Response(id: request.id, outcome: .failure(WireFailure(error)))))
                }
            }
        }
    }

    /// A question for the edges (`channels-query`, `terminate-user`): the batcher asks them all and merges
    /// their answers; its answer, or why there is none, goes back to `peer` unchanged.
    private func passOn(_ request: Request, from peer: StagePeer) {
        batcher.request(method: request.method, params: request.params).whenComplete { result in
            switch result {
            case .success(let answer):
                peer.send(.response(Response(id: request.id, outcome: .success(answer))))
            case .failure(let error):
                self.logger.warning(
                    "the batcher did not answer a request for the edges",
                    metadata: [
                        "herald.request": "\(request.method)",
                        "herald.error": "\((error as? HeraldError)?.message ?? "\(error)")",
                    ])
                peer.send(.response(Response(id: request.id, outcome: .failure(WireFailure(error)))))
            }
        }
    }

    /// The answer to `authorize-connect` or `authorize-subscribe`. Each request's params are decoded here, once.
    static func decide(_ request: Request, verifier: TokenVerifier, policy: any ChannelPolicy) async throws
        -> Decision
    {
        switch request.method {
        case StageRequests.authorizeConnect:
            let ask = try StageRequests.decode(StageRequests.AuthorizeConnect.self, from: request.params)
            let principal = try await verifier.verify(ask.token)
            return Decision(
                answer: StageRequests.encode(StageRequests.ConnectVerdict(principal: principal)),
                connection: ask.connection.map {
                    StageRequests.CountedConnection(connection: $0, user: principal.userID)
                })
        case StageRequests.authorizeSubscribe:
            let ask = try StageRequests.decode(StageRequests.AuthorizeSubscribe.self, from: request.params)
            return Decision(answer: try await decideSubscribe(ask, verifier: verifier, policy: policy))
        default:
            throw HeraldError(.notFound, "unknown request '\(request.method)'")
        }
    }

    private func count(_ method: String, allowed: Bool) {
        switch (method, allowed) {
        case (StageRequests.authorizeConnect, true): counters.connectsAllowed += 1
        case (StageRequests.authorizeConnect, false): counters.connectsDenied += 1
        case (StageRequests.authorizeSubscribe, true): counters.subscribesAllowed += 1
        default: counters.subscribesDenied += 1
        }
    }

    // MARK: StageService

    public func statusLine() async -> String {
        let link = await batcher.snapshot()
        let counters = (try? await loop.submit { self.counters }.get()) ?? Counters()
        return "events \(counters.eventsIn), unsettled \(link.unsettled), batcher \(link.connected ? "up" : "down")"
    }

    public func stats() async -> AdminValue {
        let link = await batcher.snapshot()
        let c = (try? await loop.submit { self.counters }.get()) ?? Counters()
        return [
            "events_in": .int(Int64(c.eventsIn)), "duplicates": .int(Int64(c.duplicates)),
            "refused": .int(Int64(c.refused)), "limited": .int(Int64(c.limited)), "settled": .int(Int64(c.settled)),
            "connects_allowed": .int(Int64(c.connectsAllowed)), "connects_denied": .int(Int64(c.connectsDenied)),
            "subscribes_allowed": .int(Int64(c.subscribesAllowed)),
            "subscribes_denied": .int(Int64(c.subscribesDenied)),
            "batcher_link": ["connected": .bool(link.connected), "unsettled": .int(Int64(link.unsettled))],
        ]
    }

    public func health() async -> AdminValue {
        let link = await batcher.snapshot()
        return ["status": "ok", "batcher": link.connected ? "up" : "down"]
    }

    public func registerAdminMethods(into router: inout AdminRouter) {
        router.register("revoke") { [self] args in
            guard let jti = args["jti"]?.stringValue else {
                throw HeraldError(.invalidPayload, "revoke needs args.jti: heraldctl revoke JTI")
            }
            return try await revoke(tokenID: jti)
        }
    }

    /// A reloaded configuration may carry a new secret, issuer, audience or leeway: verify with it from now
    /// on, keeping the revocations made so far.
    /// The verifier in force now.
    func currentVerifier() async throws -> TokenVerifier {
        try await loop.submit { self.verifier }.get()
    }

    public func reload(_ configuration: HeraldConfiguration) async {
        let audiences = AudienceMatrix(configuration.events)
        loop.execute {
            self.limiter.change(limits: configuration.limits)
            self.connections.change(limit: configuration.limits.connectionsPerUser)
            self.audiences = audiences
            self.apps = configuration.apps
        }
        do {
            let current = try await loop.submit { self.verifier }.get()
            let replacement = try await TokenVerifier(
                auth: configuration.auth, revoked: await current.revokedTokenIDs)
            let policy = Self.policy(configuration, logger: logger)
            let rooms = HTTPAuthHook.configuredRooms(configuration.auth.hook, logger: logger)
            loop.execute {
                self.verifier = replacement
                self.policy = policy
                self.rooms = rooms
            }
        } catch {
            logger.error("kept the previous token settings", metadata: ["herald.error": "\(error)"])
        }
    }

    public func probe() async throws {
        _ = try await loop.submit { self.origins.count }.get()
    }
}
