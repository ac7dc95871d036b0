import HeraldAdmin
import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// herald-ingress: the HTTP publish API. Backends publish here; each event is handed to the authorizer over
/// an `UpstreamLink`, and the publisher hears 202 only once the authorizer has acknowledged it, so that an
/// accepted event survives any single stage restarting (docs/wire-protocol.md).
public final class IngressService: StageService, Sendable {
    private let link: UpstreamLink
    private let server: IngressHTTPServer
    private let settings: NIOLockedValueBox<IngressSettings>
    private let counters: NIOLockedValueBox<IngressCounters>
    private let logger: Logger

    private init(
        link: UpstreamLink, server: IngressHTTPServer, settings: NIOLockedValueBox<IngressSettings>,
        counters: NIOLockedValueBox<IngressCounters>, logger: Logger
    ) {
        self.link = link
        self.server = server
        self.settings = settings
        self.counters = counters
        self.logger = logger
    }

    /// Connects to the authorizer and starts serving HTTP on the `http` socket.
    public static func start(_ environment: DaemonEnvironment) async throws -> IngressService {
        let configuration = environment.configuration
        let settings = NIOLockedValueBox(IngressSettings(configuration))
        let counters = NIOLockedValueBox(IngressCounters())
        let link = UpstreamLink(
            configuration: .init(
                peer: Stage.authorizer.rawValue,
                socketPath: environment.runtime.inputSocket(of: Stage.authorizer.rawValue), hello: environment.hello,
                capacity: configuration.ingress.resendBufferEvents),
            loop: environment.group.next(), callbacks: UpstreamLink.Callbacks(), logger: environment.logger)
        link.start()
        let api = IngressAPI(
            handoff: EventHandoff(link: link, counters: counters),
            health: PipelineHealth(runtime: environment.runtime, group: environment.group))
        let server: IngressHTTPServer
        do {
            server = try await IngressHTTPServer.start(
                boundSocket: environment.listener("http"), group: environment.group, api: api, settings: settings,
                counters: counters, logger: environment.logger)
        } catch {
            await link.stop()
            throw error
        }
        return IngressService(
            link: link, server: server, settings: settings, counters: counters, logger: environment.logger)
    }

    /// Where the HTTP listener is bound.
    public var localAddress: SocketAddress? { server.localAddress }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Stops accepting requests, lets the ones in flight finish (they wait at most `accept_timeout_seconds` for
    /// the authorizer), then closes the link.
    public func shutdown() async {
        let timeout = settings.withLockedValue { $0.acceptTimeout }
        await server.shutdown(deadline: timeout + .seconds(1))
        await link.stop()
    }

    // MARK: StageService

    public func statusLine() async -> String {
        let snapshot = await link.snapshot()
        let accepted = counters.withLockedValue { $0.eventsAccepted }
        return "accepted \(accepted), unsettled \(snapshot.unsettled), authorizer \(snapshot.connected ? "up" : "down")"
    }

    public func stats() async -> AdminValue {
        let snapshot = await link.snapshot()
        guard case .object(var stats) = counters.withLockedValue({ $0.adminValue }) else { return .null }
        stats["connections"] = .int(Int64(server.connectionCount))
        stats["authorizer_link"] = Self.describe(snapshot)
        return .object(stats)
    }

    public func health() async -> AdminValue {
        let snapshot = await link.snapshot()
        return [
            "status": "ok", "authorizer": snapshot.connected ? "up" : "down",
            "authorizer_link": Self.describe(snapshot),
        ]
    }

    public func reload(_ configuration: HeraldConfiguration) async {
        settings.withLockedValue { $0 = IngressSettings(configuration) }
        if configuration.ingress.resendBufferEvents != link.configuration.capacity {
            logger.warning(
                "ingress.resend_buffer_events changes only when herald-ingress restarts",
                metadata: ["herald.capacity": "\(link.configuration.capacity)"])
        }
        logger.info("configuration reloaded", metadata: ["herald.api_keys": "\(configuration.apiKeys.count)"])
    }

    public func probe() async throws {
        _ = try await link.loop.submit { () }.get()
        _ = await link.snapshot()
    }

    private static func describe(_ snapshot: UpstreamLink.Snapshot) -> AdminValue {
        [
            "connected": .bool(snapshot.connected), "unsettled": .int(Int64(snapshot.unsettled)),
            "unacknowledged": .int(Int64(snapshot.unacknowledged)),
        ]
    }
}
