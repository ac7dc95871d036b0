import HeraldModel
import HeraldWire
import Logging
import NIOCore
import NIOWebSocket

/// Drives one upgraded connection: forwards every frame, verdict, confirmation and timer tick to its
/// `NativeSession` and performs the actions it returns. All decisions live in the session; this class only
/// talks to NIO, the authorizer and the fan-out.
///
/// Confined to the connection's event loop.
final class NativeConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame

    /// How long a closing connection may take to send its close frame before the socket is closed anyway
    /// (a slow consumer may never read it).
    static let closeGrace: TimeAmount = .seconds(2)

    private var session: NativeSession
    private let connection: EdgeConnection
    private let runtime: EdgeRuntime
    private let shard: LoopShard
    private let clientProtocol: any ClientProtocol
    private var logger: Logger
    private var wakeup: Scheduled<Void>?
    private var wroteSinceFlush = false
    private var slowConsumerCheckPending = false

    init(
        connection: EdgeConnection, principal: Principal?, runtime: EdgeRuntime, shard: LoopShard,
        timing: NativeSession.Timing
    ) {
        self.connection = connection
        self.runtime = runtime
        self.shard = shard
        self.clientProtocol = runtime.protocols[connection.protocolIndex]
        self.session = NativeSession(
            connectionID: connection.id, principal: principal, timing: timing, now: .now())
        var logger = runtime.logger
        logger[metadataKey: "herald.conn.id"] = "\(connection.id)"
        self.logger = logger
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        shard.register(connection)
        connection.terminate = { [unowned self] code, reason in perform(session.terminate(code, reason: reason)) }
        logger.debug("connection upgraded", metadata: ["herald.protocol": "\(clientProtocol.name)"])
        perform(session.start())
        scheduleWakeup()
    }

    func channelInactive(context: ChannelHandlerContext) {
        wakeup?.cancel()
        wakeup = nil
        perform(session.released())
        connection.receivesDeliveries = false
        connection.terminate = nil
        shard.unregister(connection)
        logger.debug("connection closed")
        context.fireChannelInactive()
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let now = NIODeadline.now()
        switch frame.opcode {
        case .text:
            session.heard(now: now)
            let command = clientProtocol.command(fromText: frame.unmaskedData)
            perform(session.receive(command, serverTime: Clock.wallMilliseconds()))
        case .binary:
            session.heard(now: now)
            perform(session.binaryReceived())
        case .ping:
            perform(session.pingReceived(payload: frame.unmaskedData, now: now))
        case .pong:
            session.heard(now: now)
        case .connectionClose:
            var payload = frame.unmaskedData
            perform(session.closeReceived(code: payload.readInteger(as: UInt16.self)))
        default:
            session.heard(now: now)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        defer { context.fireChannelWritabilityChanged() }
        guard !context.channel.isWritable, !slowConsumerCheckPending, connection.receivesDeliveries else { return }
        // NIO counts bytes written but not yet flushed too, so judge only after the current fan-out batch has
        // been flushed: what is still waiting then exceeds `edge.max_pending_bytes_per_connection`.
        slowConsumerCheckPending = true
        context.eventLoop.assumeIsolated().execute {
            self.slowConsumerCheckPending = false
            guard !self.connection.channel.isWritable, self.connection.receivesDeliveries else { return }
            self.connection.receivesDeliveries = false
            self.logger.info(
                "closing a slow consumer", metadata: ["herald.pending.max": "\(self.runtime.settings.maxPendingBytes)"])
            self.perform(self.session.terminate(.slowConsumer, reason: "slow consumer: too many unsent bytes"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case is NIOWebSocketError:
            // WebSocketProtocolErrorHandler already sent the close frame (1002, or 1009 for an oversize frame).
            _ = session.terminate(.protocolError, reason: "")
        case NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge:
            perform(session.terminate(.messageTooBig, reason: "message over limits.max_message_bytes"))
        case is NIOWebSocketFrameAggregator.Error:
            perform(session.terminate(.protocolError, reason: "malformed fragmented message"))
        default:
            logger.debug("connection error", metadata: ["herald.error": "\(error)"])
            context.close(promise: nil)
        }
    }

    // MARK: Actions

    private func perform(_ actions: [SessionAction]) {
        guard !actions.isEmpty else { return }
        let allocator = connection.channel.allocator
        for action in actions {
            switch action {
            case .send(let reply):
                write(clientProtocol.frame(for: reply, allocator: allocator))
            case .authorizeConnect(let token):
                whenComplete(runtime.authorizeConnect(token: token)) { handler, result in
                    handler.perform(
                        handler.session.connectVerdict(
                            result.mapError { WireFailure($0) }, serverTime: Clock.wallMilliseconds()))
                }
            case .authorizeSubscribe(let channel):
                guard let principal = session.principal else { continue }
                whenComplete(runtime.authorizeSubscribe(principal, channel: channel)) { handler, result in
                    handler.perform(
                        handler.session.subscribeVerdict(channel: channel, result.mapError { WireFailure($0) }))
                }
            case .opened(let principal):
                connection.principal = principal
                connection.receivesDeliveries = true
                runtime.registry.authenticated(principal)
                logger[metadataKey: "herald.user.id"] = "\(principal.userID)"
                logger.debug("connection authenticated")
            case .join(let channel):
                whenComplete(runtime.hub.join(channel, loop: connection.loopIndex)) { handler, _ in
                    handler.shard.add(handler.connection, to: channel)
                    handler.perform(handler.session.joined(channel: channel))
                }
            case .leave(let channel):
                shard.remove(connection, from: channel)
                runtime.hub.leave(channel, loop: connection.loopIndex)
            case .ping:
                write(ServerFrame.ping(allocator: allocator))
            case .pong(let payload):
                write(ServerFrame.pong(payload: payload, allocator: allocator))
            case .close(let code, let reason):
                close(code: code, reason: reason)
            }
        }
        flushIfNeeded()
    }

    private func whenComplete<Value: Sendable>(
        _ future: EventLoopFuture<Value>, _ body: @escaping (NativeConnectionHandler, Result<Value, any Error>) -> Void
    ) {
        let loop = connection.channel.eventLoop
        future.hop(to: loop).assumeIsolated().whenComplete { result in body(self, result) }
    }

    private func write(_ frame: ByteBuffer) {
        guard let outlet = connection.outlet else { return }
        outlet.write(frame)
        wroteSinceFlush = true
    }

    private func flushIfNeeded() {
        guard wroteSinceFlush else { return }
        wroteSinceFlush = false
        connection.outlet?.flush()
    }

    private func close(code: CloseCode, reason: String) {
        connection.receivesDeliveries = false
        wakeup?.cancel()
        wakeup = nil
        let channel = connection.channel
        guard let outlet = connection.outlet, channel.isActive else {
            channel.close(promise: nil)
            return
        }
        logger.debug(
            "closing connection", metadata: ["herald.close.code": "\(code)", "herald.close.reason": "\(reason)"])
        let written = channel.eventLoop.makePromise(of: Void.self)
        outlet.write(
            ServerFrame.close(code: code.rawValue, reason: reason, allocator: channel.allocator), promise: written)
        outlet.flush()
        wroteSinceFlush = false
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        channel.eventLoop.scheduleTask(in: Self.closeGrace) { channel.close(promise: nil) }
    }

    // MARK: Time

    private func scheduleWakeup() {
        guard session.phase != .closed else { return }
        let loop = connection.channel.eventLoop
        wakeup = loop.assumeIsolated().scheduleTask(deadline: session.nextWakeup) { [self] in
            wakeup = nil
            perform(session.tick(now: .now()))
            scheduleWakeup()
        }
    }
}
