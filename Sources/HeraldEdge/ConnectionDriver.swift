import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOCore

/// Drives one connection, whatever its protocol and transport: forwards every message, verdict, confirmation
/// and timer tick to its `ProtocolSession` and performs the actions it returns. All decisions live in the
/// session; the driver only talks to the outlet, the authorizer and the fan-out.
///
/// Confined to the connection's event loop.
public final class ConnectionDriver {
    var session: any ProtocolSession
    let connection: EdgeConnection
    let runtime: EdgeRuntime
    let shard: LoopShard
    let logger: ConnectionLogger
    private var wakeup: Scheduled<Void>?
    private var wroteSinceFlush = false
    private var isReleased = false

    init(connection: EdgeConnection, session: any ProtocolSession, runtime: EdgeRuntime, protocolName: String) {
        self.connection = connection
        self.session = session
        self.runtime = runtime
        self.shard = runtime.shards[connection.loopIndex]
        self.logger = ConnectionLogger(base: runtime.logger, connection: connection, protocolName: protocolName)
    }

    /// Starts the session once `connection.outlet` is set.
    func start() {
        shard.register(connection)
        connection.terminate = { [unowned self] code, reason in terminate(code, reason: reason) }
        logger.debug("connection opened")
        perform(session.start(now: .now()))
        scheduleWakeup()
    }

    // MARK: Inputs

    func receive(text: ByteBuffer) {
        perform(session.receive(text: text, now: .now()))
    }

    func receiveBinary() {
        perform(session.receiveBinary(now: .now()))
    }

    func heard() {
        session.heard(now: .now())
    }

    func closeReceived(code: UInt16?) {
        perform(session.closeReceived(code: code))
    }

    func terminate(_ code: CloseCode, reason: String) {
        if code == .slowConsumer {
            logger.info(
                "closing a slow consumer", metadata: ["herald.pending.max": "\(runtime.settings.maxPendingBytes)"])
        }
        perform(session.terminate(code, reason: reason))
    }

    /// Called by a transport whose client reads too slowly (more than the limit waits unsent): closed with
    /// 4009, once.
    func slowConsumer() {
        shard.cutOff(connection)
    }

    /// The transport is gone: leave every channel and forget the connection.
    func released() {
        guard !isReleased else { return }
        isReleased = true
        wakeup?.cancel()
        wakeup = nil
        perform(session.released())
        for channel in connection.presenceChannels { runtime.hub.presenceLeave(channel, connection: connection.id) }
        connection.presenceChannels = []
        if connection.isOnline {
            connection.isOnline = false
            runtime.hub.presenceLeave(StageRequests.onlineChannel, connection: connection.id)
        }
        connection.receivesDeliveries = false
        connection.terminate = nil
        connection.outlet = nil
        shard.unregister(connection)
        connection.markEnded()
        logger.debug("connection closed")
    }

    /// Writes and flushes a frame the transport produced itself (a WebSocket pong).
    func writeNow(_ frame: ByteBuffer) {
        write(frame)
        flushIfNeeded()
    }

    /// Sends what was written since the last flush; a client that leaves more than its limit unsent is cut off.
    /// Something was written to the outlet outside `write(_:)` (the fan-out's own path): flush it with the rest.
    func markWritten() {
        wroteSinceFlush = true
    }

    func flushIfNeeded() {
        guard wroteSinceFlush else { return }
        wroteSinceFlush = false
        guard let outlet = connection.outlet else { return }
        outlet.flush()
        if outlet.backlog == .over { slowConsumer() }
    }

    // MARK: Actions

    func perform(_ actions: [ConnectionAction]) {
        guard !actions.isEmpty else { return }
        for action in actions {
            switch action {
            case .write(let frame):
                write(frame)
            case .authorizeConnect(let token):
                whenComplete(runtime.authorizeConnect(token: token, connection: connection)) { driver, result in
                    driver.perform(driver.session.connectVerdict(result.mapError { WireFailure($0) }, now: .now()))
                }
            case .authorizeSubscribe(let principal, let channel, let token):
                let ask = runtime.authorizeSubscribe(principal, channel: channel, token: token, socketID: connection.id)
                whenComplete(ask) { driver, result in
                    if case .success(let info?) = result {
                        driver.connection.hookInfo[channel] = ByteBuffer(string: info)
                    }
                    driver.perform(
                        driver.session.subscribeVerdict(
                            channel: channel, result.map { _ in () }.mapError { WireFailure($0) }))
                }
            case .opened(let principal):
                connection.principal = principal
                connection.receivesDeliveries = true
                if let principal {
                    runtime.registry.authenticated(principal)
                    let online = StageRequests.onlineChannel
                    if !connection.isOnline {
                        connection.isOnline = true
                        runtime.hub.presenceEnter(online, member: .online(principal), connection: connection.id)
                    }
                }
                logger.debug("connection open")
            case .principalChanged(let principal):
                connection.principal = principal
                logger.debug("token refreshed", metadata: ["herald.token.id": "\(principal.tokenID ?? "")"])
            case .join(let channel, let lane, let recover):
                whenComplete(runtime.hub.join(channel, loop: connection.loopIndex, lane: lane)) { driver, result in
                    if let recover {
                        driver.joinRecovering(channel, lane: lane, from: recover)
                        return
                    }
                    driver.shard.add(driver.connection, to: channel, lane: lane)
                    let position = (try? result.get()) ?? nil
                    driver.perform(driver.session.joined(channel: channel, position: position, recovery: nil))
                }
            case .leave(let channel):
                connection.hookInfo[channel] = nil
                if connection.presenceChannels.remove(channel) != nil {
                    runtime.hub.presenceLeave(channel, connection: connection.id)
                }
                connection.heldChannels[channel] = nil
                connection.replayedThrough[channel] = nil
                if let lane = shard.remove(connection, from: channel) {
                    runtime.hub.leave(channel, loop: connection.loopIndex, lane: lane)
                }
            case .publish(let event, let ticket):
                let accepted = runtime.publish(event)
                accepted.whenFailure { [logger] error in
                    logger.info(
                        "a client event was not accepted",
                        metadata: ["herald.event.id": "\(event.id)", "herald.error": "\(error)"])
                }
                if let ticket {
                    whenComplete(accepted) { driver, result in
                        driver.perform(driver.session.published(ticket: ticket, result.mapError { WireFailure($0) }))
                    }
                }
            case .typing(let update):
                runtime.typing.apply(update)
            case .call(let call, let timeout, let ticket):
                whenComplete(runtime.call(call, timeout: timeout)) { driver, result in
                    driver.perform(driver.session.called(ticket: ticket, result.mapError { WireFailure($0) }))
                }
            case .presenceJoin(let channel, var member):
                guard connection.presenceChannels.insert(channel).inserted else { continue }
                if let info = connection.hookInfo[channel] { member.info = info }
                whenComplete(runtime.hub.presenceJoin(channel, member: member, connection: connection.id)) {
                    driver, result in
                    driver.perform(driver.session.presenceJoined(channel: channel, members: (try? result.get()) ?? []))
                }
            case .presenceLeave(let channel):
                if connection.presenceChannels.remove(channel) != nil {
                    runtime.hub.presenceLeave(channel, connection: connection.id)
                }
            case .listPresence(let channel, let tag):
                whenComplete(runtime.hub.presenceMembers(channel)) { driver, result in
                    driver.perform(
                        driver.session.presenceListed(channel: channel, members: (try? result.get()) ?? [], tag: tag))
                }
            case .saveSession(let save):
                runtime.hub.saveSession(save).whenFailure { [logger] error in
                    logger.warning(
                        "the batcher did not keep a session for recovery",
                        metadata: ["herald.error": "\((error as? HeraldError)?.message ?? "\(error)")"])
                }
            case .restoreSession(let restore):
                self.restore(restore)
            case .ping:
                write(ServerFrame.ping(allocator: runtime.allocator))
            case .close(let code, let reason):
                close(code: code, reason: reason)
            }
        }
        flushIfNeeded()
    }

    func whenComplete<Value: Sendable>(
        _ future: EventLoopFuture<Value>, _ body: @escaping (ConnectionDriver, Result<Value, any Error>) -> Void
    ) {
        future.hop(to: connection.loop).assumeIsolated().whenComplete { result in body(self, result) }
    }

    func write(_ frame: ByteBuffer) {
        guard let outlet = connection.outlet else { return }
        outlet.write(frame)
        wroteSinceFlush = true
    }

    private func close(code: CloseCode, reason: String) {
        connection.receivesDeliveries = false
        wakeup?.cancel()
        wakeup = nil
        logger.debug(
            "closing connection", metadata: ["herald.close.code": "\(code)", "herald.close.reason": "\(reason)"])
        wroteSinceFlush = false
        connection.outlet?.close(code: code, reason: reason)
    }

    // MARK: Time

    private func scheduleWakeup() {
        guard !session.isClosed else { return }
        wakeup = connection.loop.assumeIsolated().scheduleTask(deadline: session.nextWakeup) { [self] in
            wakeup = nil
            perform(session.tick(now: .now()))
            scheduleWakeup()
        }
    }
}
