import HeraldAdmin
import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// herald-ws-edge: holds the clients' WebSocket connections, authenticates them and their subscriptions with
/// the authorizer, follows their channels at the batcher, and fans every delivery out to the subscribers its
/// audience admits — encoded once per protocol, the same frame written to every socket.
public final class EdgeService: StageService, @unchecked Sendable {
    let runtime: EdgeRuntime
    private let server: any Channel

    private init(runtime: EdgeRuntime, server: any Channel) {
        self.runtime = runtime
        self.server = server
    }

    /// Starts the edge on its `websocket` socket, with links to the authorizer and batcher input sockets in the
    /// runtime directory.
    public static func start(
        _ environment: DaemonEnvironment, protocols: [any ClientProtocol]
    ) async throws -> EdgeService {
        try await start(
            websocket: environment.listener("websocket"), configuration: environment.configuration,
            runtime: environment.runtime, hello: environment.hello, group: environment.group,
            protocols: protocols, logger: environment.logger)
    }

    /// The same, from the parts of a `DaemonEnvironment` (for tests and embedding).
    public static func start(
        websocket fd: CInt, configuration: HeraldConfiguration, runtime directory: RuntimeDirectory, hello: Hello,
        group: MultiThreadedEventLoopGroup, protocols: [any ClientProtocol], logger: Logger
    ) async throws -> EdgeService {
        let loops = Array(group.makeIterator())
        let shards = loops.enumerated().map { LoopShard(loop: $1, index: $0) }
        let hub = ChannelHub(
            loop: group.next(), shards: shards, encoders: protocols.flatMap(\.deliveryEncoders), logger: logger)
        try await hub.loop.submit {
            hub.connect(
                UpstreamLink.Configuration(
                    peer: Stage.batcher.rawValue, socketPath: directory.inputSocket(of: Stage.batcher.rawValue),
                    hello: hello, capacity: 1))
        }.get()
        // The authorizer sends requests down this link too (`revoke-token`); they wait for the runtime.
        let authorizerLoop = group.next()
        let runtimeReady = authorizerLoop.makePromise(of: EdgeRuntime.self)
        var callbacks = UpstreamLink.Callbacks()
        callbacks.message = { message in
            guard case .request(let request) = message else { return }
            runtimeReady.futureResult.whenSuccess { $0.answerAuthorizer(request) }
        }
        callbacks.connected = {
            // Not inline: the link is in the middle of its own (re)connect bookkeeping.
            runtimeReady.futureResult.whenSuccess { runtime in authorizerLoop.execute { runtime.restateConnections() } }
            return []
        }
        let authorizer = UpstreamLink(
            configuration: UpstreamLink.Configuration(
                peer: Stage.authorizer.rawValue, socketPath: directory.inputSocket(of: Stage.authorizer.rawValue),
                hello: hello, capacity: Self.clientEventBuffer),
            loop: authorizerLoop, callbacks: callbacks, logger: logger)
        authorizer.start()
        let runtime = EdgeRuntime(
            loops: loops, hub: hub, protocols: protocols, authorizer: authorizer,
            settings: EdgeSettings(configuration), logger: logger)
        runtimeReady.succeed(runtime)
        let server = try await EdgeListener.start(boundSocket: fd, group: group, runtime: runtime)
        return EdgeService(runtime: runtime, server: server)
    }

    /// How many client events the edge holds for the authorizer until they are settled.
    static let clientEventBuffer = 10_000

    /// Serves until graceful shutdown, then stops accepting, closes every connection with 1001 (going away) and
    /// stops the links.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Stops accepting, closes every connection with 1001 and waits for them (at most the close grace), then
    /// stops both links.
    public func shutdown() async {
        try? await server.close()
        var closing: [EventLoopFuture<Void>] = []
        for shard in runtime.shards {
            let futures = try? await shard.loop.submit {
                shard.closeAll(.goingAway, reason: "the edge is shutting down; reconnect")
            }.get()
            closing += futures ?? []
        }
        if let loop = runtime.loops.first {
            try? await EventLoopFuture.andAllComplete(closing, on: loop).get()
        }
        await runtime.hub.batcher.stop()
        await runtime.authorizer.stop()
    }

    public func reload(_ configuration: HeraldConfiguration) async {
        runtime.settings = EdgeSettings(configuration)
    }

    public func probe() async throws {
        let hub = runtime.hub
        _ = try await hub.loop.submit { hub.table.channelCount }.get()
    }
}
