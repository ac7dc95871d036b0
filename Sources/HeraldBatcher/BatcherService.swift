import HeraldAdmin
import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOCore
import ServiceLifecycle

/// herald-batcher: numbers every event per channel, keeps each channel's history, and fans each event out
/// to every edge that has subscribers for its channel — encoded once per channel, the same buffer written
/// to every edge.
///
/// An event is settled back to the authorizer only once its frames were written to every interested edge,
/// so a batcher killed mid-stream loses nothing the authorizer will not resend. The priority windows
/// (medium every 2 s, low every 10 s) come in a later slice; today every priority goes out at once.
public final class BatcherService: StageService, StageInputDelegate, @unchecked Sendable {
    let loop: any EventLoop
    let logger: Logger
    private let engine: any BatcherEngine
    private var input: StageInputServer?
    private(set) var edges = EdgeDirectory()
    /// Requests passed on to the edges, waiting for their answers.
    let edgeRequests: PeerRequests
    private var published = RecentEventIDs(capacity: 100_000)
    private var counters = Counters()

    struct Counters {
        var eventsIn = 0
        var duplicates = 0
        var framesOut = 0
        var replayed = 0
    }

    public static func start(_ environment: DaemonEnvironment) async throws -> BatcherService {
        let batcher = environment.configuration.batcher
        let engine: any BatcherEngine
        switch environment.configuration.engine.type {
        case .memory:
            engine = MemoryEngine(historyEvents: batcher.historyEvents, historySeconds: batcher.historySeconds)
        case .redis:
            throw HeraldError(.internal, "engine.type redis is not available in this build yet; use memory")
        }
        let service = BatcherService(loop: environment.group.next(), logger: environment.logger, engine: engine)
        service.input = try await StageInputServer.start(
            boundSocket: environment.listener("input"), hello: environment.hello, loop: service.loop, delegate: service,
            logger: environment.logger)
        return service
    }

    init(loop: any EventLoop, logger: Logger, engine: any BatcherEngine) {
        self.loop = loop
        self.logger = logger
        self.engine = engine
        self.edgeRequests = PeerRequests(loop: loop)
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await input?.close()
    }

    // MARK: StageInputDelegate (on loop)

    public func peerJoined(_ peer: StagePeer) {
        logger.info("stage connected", metadata: ["herald.peer": "\(peer)"])
        if peer.hello.stage == Stage.wsEdge.rawValue { edges.join(peer) }
    }

    public func peerLeft(_ peer: StagePeer) {
        edges.leave(peer)
        edgeRequests.peerLeft(peer)
    }

    public func peer(_ peer: StagePeer, sent message: WireMessage) {
        switch message {
        case .event(let event): publish(event, from: peer)
        case .request(let request) where request.method == StageRequests.interest:
            changeInterest(request, from: peer)
        case .request(let request) where StageRequests.answeredByEdges.contains(request.method):
            askEdges(request, from: peer)
        case .response(let response):
            guard edgeRequests.received(response, from: peer) else {
                logger.debug(
                    "a response came too late or answers nothing", metadata: ["herald.peer": "\(peer)"])
                return
            }
        case .request(let request):
            peer.send(
                .response(
                    Response(
                        id: request.id,
                        outcome: .failure(
                            WireFailure(
                                code: ErrorCode.notFound.rawValue, message: "unknown request '\(request.method)'")))))
        default:
            logger.debug("ignoring message", metadata: ["herald.peer": "\(peer)"])
        }
    }

    private func publish(_ event: WireEvent, from source: StagePeer) {
        counters.eventsIn += 1
        guard published.insert(event.id) else {
            counters.duplicates += 1
            source.send(.ack([event.id]))
            source.send(.settled([event.id]))
            return
        }
        source.send(.ack([event.id]))
        var writes: [EventLoopFuture<Void>] = []
        for channel in event.channels {
            let frame = engine.append(to: channel) { position in
                var delivery = event
                delivery.channels = [channel]
                delivery.offset = position.offset
                delivery.epoch = position.epoch
                var frame = ByteBufferAllocator().buffer(capacity: 400 + event.data.readableBytes)
                frame.writeWireFrame(.deliver(delivery))
                return frame
            }
            for edge in edges.edges(for: channel) {
                let written = loop.makePromise(of: Void.self)
                edge.write(frames: frame, promise: written)
                writes.append(written.futureResult)
                counters.framesOut += 1
            }
        }
        let id = event.id
        EventLoopFuture.andAllComplete(writes, on: loop).whenComplete { _ in source.send(.settled([id])) }
    }

    private func changeInterest(_ request: Request, from edge: StagePeer) {
        do {
            let change = try StageRequests.decode(StageRequests.InterestChange.self, from: request.params)
            var positions: [String: ChannelPosition] = [:]
            if change.reset == true {
                for channel in edges.channelsByEdge[edge] ?? [] { edges.remove(channel, for: edge) }
            }
            for channel in change.remove { edges.remove(channel, for: edge) }
            for entry in change.add {
                edges.add(entry.channel, for: edge)
                if let epoch = entry.epoch {
                    let missed = engine.frames(
                        in: entry.channel, after: ChannelPosition(epoch: epoch, offset: entry.offset ?? 0))
                    for frame in missed { edge.write(frames: frame) }
                    counters.replayed += missed.count
                }
                let position = engine.position(of: entry.channel)
                positions[entry.channel] = position
            }
            let answer = StageRequests.encode(StageRequests.InterestPositions(positions: positions))
            edge.send(.response(Response(id: request.id, outcome: .success(answer))))
        } catch {
            edge.send(.response(Response(id: request.id, outcome: .failure(WireFailure(error)))))
        }
    }

    // MARK: StageService

    public func statusLine() async -> String {
        let (c, edgeCount, channels) =
            (try? await loop.submit { (self.counters, self.edges.edgeCount, self.engine.channelCount) }.get())
            ?? (Counters(), 0, 0)
        return "events \(c.eventsIn), edges \(edgeCount), channels \(channels)"
    }

    public func stats() async -> AdminValue {
        let (c, edgeCount, channels) =
            (try? await loop.submit { (self.counters, self.edges.edgeCount, self.engine.channelCount) }.get())
            ?? (Counters(), 0, 0)
        return [
            "events_in": .int(Int64(c.eventsIn)), "duplicates": .int(Int64(c.duplicates)),
            "frames_out": .int(Int64(c.framesOut)), "replayed": .int(Int64(c.replayed)),
            "edges": .int(Int64(edgeCount)), "channels": .int(Int64(channels)),
        ]
    }

    public func probe() async throws {
        _ = try await loop.submit { self.edges.edgeCount }.get()
    }
}
