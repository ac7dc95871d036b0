import HeraldDaemonKit
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves the publish API on an already-bound listening socket (from systemd, `herald run` or `--listen`),
/// HTTP/1.1 with keep-alive and pipelining, on every loop of the group. A connection that sends nothing for
/// `IngressHTTPHandler.idleTimeout` while no answer is being prepared is closed.
///
/// Shutdown quiesces: the listener closes, idle connections close at once, and busy ones close right after
/// their current answer is written.
public final class IngressHTTPServer: Sendable {
    private let channel: any Channel
    private let connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>

    private init(channel: any Channel, connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>) {
        self.channel = channel
        self.connections = connections
    }

    public static func start(
        boundSocket fd: CInt, group: any EventLoopGroup, api: IngressAPI,
        settings: NIOLockedValueBox<IngressSettings>, counters: NIOLockedValueBox<IngressCounters>, logger: Logger
    ) async throws -> IngressHTTPServer {
        let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { channel in
                let key = ObjectIdentifier(channel)
                connections.withLockedValue { $0[key] = channel }
                channel.closeFuture.whenComplete { _ in _ = connections.withLockedValue { $0.removeValue(forKey: key) }
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        IdleStateHandler(readTimeout: IngressHTTPHandler.idleTimeout))
                    // Every response header is Herald's own or, for X-Request-Id, checked to be visible ASCII
                    // (RequestID.isAcceptable), so NIO's per-response header validation is skipped: it was 7 %
                    // of ingress's CPU under load.
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withPipeliningAssistance: true, withErrorHandling: false, withOutboundHeaderValidation: false)
                    try channel.pipeline.syncOperations.addHandler(
                        IngressHTTPHandler(api: api, settings: settings, counters: counters, logger: logger))
                }
            }
            .withBoundSocket(fd)
            .get()
        if !ListeningBacklog.restore(fd) {
            logger.warning(
                "could not restore the listening backlog; bursts of new connections may wait for SYN retries")
        }
        return IngressHTTPServer(channel: channel, connections: connections)
    }

    /// The address the listener is bound to.
    public var localAddress: SocketAddress? { channel.localAddress }

    /// How many connections are open.
    public var connectionCount: Int { connections.withLockedValue { $0.count } }

    /// Stops accepting, asks every connection to finish its current request, and waits up to `deadline` for
    /// them to close before closing the rest.
    public func shutdown(deadline: Duration) async {
        try? await channel.close()
        let open = connections.withLockedValue { Array($0.values) }
        for connection in open {
            connection.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        let closed = open.map(\.closeFuture)
        let loop = channel.eventLoop
        let all = EventLoopFuture.andAllComplete(closed, on: loop)
        let timer = loop.scheduleTask(in: TimeAmount(deadline)) {
            for connection in open { connection.close(promise: nil) }
        }
        try? await all.get()
        timer.cancel()
    }
}
