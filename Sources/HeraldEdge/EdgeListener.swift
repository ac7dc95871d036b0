import HeraldDaemonKit
import HeraldModel
import HeraldSystemd
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The WebSocket server on the edge's listening socket. Each accepted connection gets an HTTP/1 pipeline whose
/// upgrader asks an `UpgradeGate`; an upgraded connection's pipeline becomes
/// `RawFrameOutlet → WebSocketFrameEncoder → WebSocketFrameDecoder → WebSocketProtocolErrorHandler →
/// NIOWebSocketFrameAggregator → WebSocketConnectionHandler`, the last driving a `ConnectionDriver` with the
/// session of the protocol the path names. Connections are spread over every loop of the group.
enum EdgeListener {
    /// How long a new connection may take to complete its upgrade request; idle sockets are closed after it.
    static let handshakeTimeout: TimeAmount = .seconds(10)
    /// How each client connection sizes its reads. NIO keeps a connection's receive buffer between reads, so its
    /// starting size is held by every idle connection: 512 bytes instead of NIO's 2,048 (about 1.5 KB less per
    /// connection); a connection that reads more grows its buffer, up to 64 KiB.
    static let receiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65_536)

    static func start(
        boundSocket fd: CInt, group: any EventLoopGroup, runtime: EdgeRuntime
    ) async throws -> any Channel {
        let channel = try await ServerBootstrap(group: group)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.recvAllocator, value: receiveBuffers)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try configure(channel, runtime: runtime) }
            }
            .withBoundSocket(fd)
            .get()
        if !ListeningBacklog.restore(fd) {
            runtime.logger.warning(
                "could not restore the listening backlog; bursts of new connections may wait for SYN retries",
                metadata: ["herald.backlog": "\(SocketBinder.defaultBacklog)"])
        }
        return channel
    }

    /// Builds a new connection's pipeline. On the connection's loop.
    static func configure(_ channel: any Channel, runtime: EdgeRuntime) throws {
        let settings = runtime.settings
        let shard = runtime.shard(for: channel.eventLoop)
        let connection = EdgeConnection(id: ConnectionID.generate(), loopIndex: shard.index, loop: channel.eventLoop)
        let gate = UpgradeGate(connection: connection, runtime: runtime, settings: settings)
        let handshakeDeadline = channel.eventLoop.scheduleTask(in: handshakeTimeout) { channel.close(promise: nil) }
        let refusals = NIOLoopBound(
            EdgeHTTPHandler(gate: gate, onPolling: { handshakeDeadline.cancel() }), eventLoop: channel.eventLoop)
        try channel.syncOptions?.setOption(
            .writeBufferWaterMark, value: RawFrameOutlet.watermarks(maxPendingBytes: settings.maxPendingBytes))

        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: settings.maxMessageBytes, automaticErrorHandling: true,
            shouldUpgrade: { channel, head in gate.shouldUpgrade(head, from: channel.remoteAddress) },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    handshakeDeadline.cancel()
                    let pipeline = channel.pipeline.syncOperations
                    _ = pipeline.removeHandler(refusals.value)
                    let outlet = RawFrameOutlet(maxPendingBytes: settings.maxPendingBytes)
                    try pipeline.addHandler(outlet, position: .first)
                    connection.outlet = outlet
                    try pipeline.addHandler(
                        NIOWebSocketFrameAggregator(
                            minNonFinalFragmentSize: 1, maxAccumulatedFrameCount: 1024,
                            maxAccumulatedFrameSize: settings.maxMessageBytes))
                    if let session = gate.attaching, let index = gate.protocolIndex,
                        let style = runtime.protocols[index].longPolling
                    {
                        try pipeline.addHandler(
                            PollingUpgradeHandler(session: session, style: style, runtime: runtime, outlet: outlet))
                        return
                    }
                    guard let index = gate.protocolIndex, let request = gate.request else {
                        throw UpgradeRefusal(.internal, "upgraded without a route")
                    }
                    let clientProtocol = runtime.protocols[index]
                    let session = clientProtocol.makeSession(
                        SessionContext(
                            connectionID: connection.id, request: request, principal: gate.principal,
                            settings: settings, lanes: runtime.lanes[index], now: .now(),
                            overCapacity: gate.overCapacity))
                    let driver = ConnectionDriver(
                        connection: connection, session: session, runtime: runtime,
                        protocolName: clientProtocol.name)
                    try pipeline.addHandler(WebSocketConnectionHandler(driver: driver))
                }
            })
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
        try channel.pipeline.syncOperations.addHandler(refusals.value)
        channel.closeFuture.whenComplete { _ in
            handshakeDeadline.cancel()
            connection.markEnded()
            guard connection.holdsPlace else { return }
            connection.holdsPlace = false
            runtime.registry.release(authenticated: connection.principal)
        }
    }
}
