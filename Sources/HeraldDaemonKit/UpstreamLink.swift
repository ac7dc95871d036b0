import HeraldModel
import HeraldWire
import Logging
import NIOCore
import NIOPosix

/// A stage's connection to the next stage's `input` socket (or, for the edge, to the authorizer's and the
/// batcher's). It reconnects with backoff, keeps every event until the peer reports it settled, resends
/// every unsettled event after a reconnect, and carries request/response pairs.
///
/// Events handed over during one event-loop tick leave together at its end, packed into one `events` frame
/// (an `event` frame when there is one), so under load the peer reads one frame per batch; a lone event
/// waits for nothing but the end of the current tick. Any other frame first sends the events before it, so
/// the peer sees everything in the order it was handed over.
///
/// The decisions live in `UpstreamLinkState`; this class performs them. All mutable state is confined to
/// `loop`, which is why it can be `@unchecked Sendable`: every public method hops there first.
public final class UpstreamLink: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// The stage on the other end, for logs (`authorizer`, `batcher`).
        public var peer: String
        public var socketPath: String
        public var hello: Hello
        /// How many unsettled events the link holds before refusing more.
        public var capacity: Int
        public var backoff: Backoff
        public var requestTimeout: Duration

        public init(
            peer: String, socketPath: String, hello: Hello, capacity: Int = 10_000, backoff: Backoff = Backoff(),
            requestTimeout: Duration = .seconds(5)
        ) {
            self.peer = peer
            self.socketPath = socketPath
            self.hello = hello
            self.capacity = capacity
            self.backoff = backoff
            self.requestTimeout = requestTimeout
        }
    }

    /// What the owner hears from the link, always on `loop`.
    public struct Callbacks: Sendable {
        /// The peer published these events (they are forgotten here).
        public var settled: @Sendable ([EventID]) -> Void = { _ in }
        /// The peer refused this event (a limit or a permission); it is forgotten here, not resent.
        public var refused: @Sendable (EventRefusal) -> Void = { _ in }
        /// Messages to send right after every (re)connect, after the resent events (the edge's interest).
        public var connected: @Sendable () -> [WireMessage] = { [] }
        /// Any message other than ack, settled, response and hello.
        public var message: @Sendable (WireMessage) -> Void = { _ in }
        public init() {}
    }

    public struct Snapshot: Sendable {
        public var connected: Bool
        public var unsettled: Int
        public var unacknowledged: Int
        public var pendingRequests: Int
    }

    private struct PendingRequest {
        var frame: ByteBuffer
        var promise: EventLoopPromise<ByteBuffer>
        var timeout: Scheduled<Void>
    }

    public let loop: any EventLoop
    public let configuration: Configuration
    private let callbacks: Callbacks
    private let logger: Logger

    private var state: UpstreamLinkState
    private var writer: CoalescingWriter?
    /// Encoded events to send at the end of this tick.
    private var outgoing: [ByteBuffer] = []
    private var ackPromises: [EventID: EventLoopPromise<Void>] = [:]
    private var requests: [UInt64: PendingRequest] = [:]
    private var nextRequestID: UInt64 = 1
    private var stopped = false

    public init(configuration: Configuration, loop: any EventLoop, callbacks: Callbacks, logger: Logger) {
        self.configuration = configuration
        self.loop = loop
        self.callbacks = callbacks
        var logger = logger
        logger[metadataKey: "herald.peer"] = "\(configuration.peer)"
        self.logger = logger
        self.state = UpstreamLinkState(capacity: configuration.capacity)
    }

    public func start() {
        loop.execute { self.connect() }
    }

    public func stop() async {
        try? await loop.submit {
            self.stopped = true
            self.writer?.channel.close(promise: nil)
            self.writer = nil
            let closed = HeraldError(.unavailable, "link to \(self.configuration.peer) is shutting down")
            for promise in self.ackPromises.values { promise.fail(closed) }
            for request in self.requests.values {
                request.timeout.cancel()
                request.promise.fail(closed)
            }
            self.ackPromises = [:]
            self.requests = [:]
        }.get()
    }

    // MARK: Events

    /// Hands an event to the link. The future succeeds when the peer has acknowledged it (taken
    /// responsibility), and fails at once with `UNAVAILABLE` when the resend buffer is full.
    public func send(_ event: WireEvent) -> EventLoopFuture<Void> {
        var encoded = ByteBufferAllocator().buffer(capacity: 320 + event.data.readableBytes)
        encoded.writeWireEvent(event)
        return send(encodedEvent: encoded, id: event.id)
    }

    /// Like `send(_:)` for an event the caller encoded with `writeWireEvent`.
    public func send(encodedEvent: ByteBuffer, id: EventID) -> EventLoopFuture<Void> {
        loop.flatSubmit { self.enqueue(encodedEvent: encodedEvent, id: id) }
    }

    /// On `loop` only: hands over an event (encoded with `writeWireEvent`) for a caller that acknowledges its
    /// own upstream as soon as the link holds it. Returns false when the resend buffer is full.
    public func offer(encodedEvent: ByteBuffer, id: EventID) -> Bool {
        loop.preconditionInEventLoop()
        switch state.enqueue(id, event: encodedEvent) {
        case .full: return false
        case .duplicate, .buffered: return true
        case .write:
            sendAtEndOfTick(encodedEvent)
            return true
        }
    }

    /// Gives up on an event the peer has not acknowledged yet (its publisher stopped waiting). An event
    /// already acknowledged stays, because the peer may be publishing it.
    public func withdraw(_ id: EventID) -> EventLoopFuture<Bool> {
        loop.submit {
            guard self.state.withdraw(id) else { return false }
            self.ackPromises.removeValue(forKey: id)?.fail(
                HeraldError(.unavailable, "\(self.configuration.peer) did not take the event in time"))
            return true
        }
    }

    private func enqueue(encodedEvent: ByteBuffer, id: EventID) -> EventLoopFuture<Void> {
        switch state.enqueue(id, event: encodedEvent) {
        case .full:
            return loop.makeFailedFuture(
                HeraldError(
                    .unavailable,
                    "\(configuration.peer) is not keeping up: \(state.unsettledCount) events wait to be settled; retry later"
                ))
        case .duplicate:
            return ackPromises[id]?.futureResult ?? loop.makeSucceededVoidFuture()
        case .write:
            sendAtEndOfTick(encodedEvent)
        case .buffered:
            break
        }
        let promise = loop.makePromise(of: Void.self)
        ackPromises[id] = promise
        return promise.futureResult
    }

    private func sendAtEndOfTick(_ encodedEvent: ByteBuffer) {
        outgoing.append(encodedEvent)
        guard outgoing.count == 1 else { return }
        loop.assumeIsolated().execute { self.sendOutgoingEvents() }
    }

    /// Writes the events handed over so far as `event`/`events` frames. Called at the end of the tick, and
    /// before any other frame so nothing overtakes them.
    private func sendOutgoingEvents() {
        guard !outgoing.isEmpty else { return }
        defer { outgoing.removeAll(keepingCapacity: true) }
        guard let writer else { return }  // they are resent, with every unsettled event, after the reconnect
        writer.write(Self.frames(carrying: outgoing, allocator: writer.channel.allocator))
    }

    private static func frames(carrying events: [ByteBuffer], allocator: ByteBufferAllocator) -> ByteBuffer {
        var frames = allocator.buffer(capacity: events.reduce(32) { $0 + $1.readableBytes + 1 })
        frames.writeEventFrames(events)
        return frames
    }

    // MARK: Requests and control messages

    /// Sends a request and waits for its one response (resent after a reconnect; fails with UNAVAILABLE after
    /// `timeout`, the link's `requestTimeout` when nil).
    public func request(method: String, params: ByteBuffer, timeout: Duration? = nil) -> EventLoopFuture<ByteBuffer> {
        loop.flatSubmit {
            let id = self.nextRequestID
            self.nextRequestID += 1
            var frame = ByteBufferAllocator().buffer(capacity: 64 + params.readableBytes)
            frame.writeWireFrame(.request(Request(id: id, method: method, params: params)))
            let promise = self.loop.makePromise(of: ByteBuffer.self)
            let timeout = self.loop.scheduleTask(in: TimeAmount(timeout ?? self.configuration.requestTimeout)) {
                guard let request = self.requests.removeValue(forKey: id) else { return }
                request.promise.fail(
                    HeraldError(.unavailable, "\(self.configuration.peer) did not answer \(method) in time"))
            }
            self.requests[id] = PendingRequest(frame: frame, promise: promise, timeout: timeout)
            self.sendOutgoingEvents()
            self.writer?.write(frame)
            return promise.futureResult
        }
    }

    /// Sends a message now if connected; otherwise drops it, because `Callbacks.connected` restates the
    /// whole state after every reconnect.
    public func sendIfConnected(_ message: WireMessage) {
        loop.execute {
            guard let writer = self.writer else { return }
            self.sendOutgoingEvents()
            var frame = writer.channel.allocator.buffer(capacity: 256)
            frame.writeWireFrame(message)
            writer.write(frame)
        }
    }

    public func snapshot() async -> Snapshot {
        (try? await loop.submit {
            Snapshot(
                connected: self.state.isConnected, unsettled: self.state.unsettledCount,
                unacknowledged: self.state.unacknowledgedCount, pendingRequests: self.requests.count)
        }.get()) ?? Snapshot(connected: false, unsettled: 0, unacknowledged: 0, pendingRequests: 0)
    }

    // MARK: Connection

    private func connect() {
        guard !stopped else { return }
        state.connecting()
        ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WireFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(UpstreamLinkHandler(link: self))
                }
            }
            .connect(unixDomainSocketPath: configuration.socketPath)
            .whenComplete { result in
                switch result {
                case .success(let channel): self.didConnect(channel)
                case .failure(let error): self.connectionEnded(channel: nil, error: error)
                }
            }
    }

    private func didConnect(_ channel: any Channel) {
        guard !stopped else {
            channel.close(promise: nil)
            return
        }
        let writer = CoalescingWriter(channel: channel)
        self.writer = writer
        var hello = channel.allocator.buffer(capacity: 128)
        hello.writeWireFrame(.hello(configuration.hello))
        writer.write(hello)
        outgoing.removeAll()
        let resent = state.connected()
        if !resent.isEmpty { writer.write(Self.frames(carrying: resent, allocator: channel.allocator)) }
        for message in callbacks.connected() {
            var frame = channel.allocator.buffer(capacity: 256)
            frame.writeWireFrame(message)
            writer.write(frame)
        }
        for request in requests.values { writer.write(request.frame) }
        logger.info(
            "connected to \(configuration.peer)",
            metadata: ["herald.socket": "\(configuration.socketPath)", "herald.resent": "\(resent.count)"])
    }

    fileprivate func connectionEnded(channel: (any Channel)?, error: (any Error)?) {
        if let channel {
            guard writer?.channel === channel else { return }
            writer = nil
        }
        guard !stopped else { return }
        let wasConnected = state.isConnected
        let delay = state.disconnected(backoff: configuration.backoff)
        if wasConnected {
            logger.warning(
                "lost connection to \(configuration.peer); reconnecting",
                metadata: ["herald.unsettled": "\(state.unsettledCount)"])
        } else if case .disconnected(let failures) = state.connection, failures == 1 {
            logger.warning(
                "cannot reach \(configuration.peer) yet; retrying with backoff",
                metadata: [
                    "herald.socket": "\(configuration.socketPath)",
                    "herald.error": "\(error.map { "\($0)" } ?? "closed")",
                ])
        }
        loop.scheduleTask(in: TimeAmount(delay)) { self.connect() }
    }

    fileprivate func received(_ message: WireMessage) {
        switch message {
        case .ack(let ids):
            for id in state.acknowledged(ids) { ackPromises.removeValue(forKey: id)?.succeed() }
        case .settled(let ids):
            let done = state.settled(ids)
            for id in done { ackPromises.removeValue(forKey: id)?.succeed() }
            if !done.isEmpty { callbacks.settled(done) }
        case .response(let response):
            guard let request = requests.removeValue(forKey: response.id) else { return }
            request.timeout.cancel()
            switch response.outcome {
            case .success(let result): request.promise.succeed(result)
            case .failure(let failure):
                request.promise.fail(HeraldError(ErrorCode(rawValue: failure.code) ?? .internal, failure.message))
            }
        case .hello(let hello) where hello.version != WireProtocol.version:
            logger.error(
                "\(configuration.peer) speaks another protocol version; closing and retrying",
                metadata: ["herald.peer.version": "\(hello.version)", "herald.version": "\(WireProtocol.version)"])
            state.peerIsIncompatible()
            writer?.channel.close(promise: nil)
        case .hello(let hello):
            state.peerIsCompatible()
            logger.debug("peer introduced itself", metadata: ["herald.peer.instance": "\(hello.instance)"])
        case .refused(let refusal):
            guard state.refused(refusal.id) else { return }
            ackPromises.removeValue(forKey: refusal.id)?.fail(refusal.error)
            callbacks.refused(refusal)
        case .error(let failure):
            logger.warning(
                "\(configuration.peer) reported an error",
                metadata: ["herald.error.code": "\(failure.code)", "herald.error": "\(failure.message)"])
        default:
            callbacks.message(message)
        }
    }
}

private final class UpstreamLinkHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let link: UpstreamLink

    init(link: UpstreamLink) { self.link = link }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            link.received(try WireMessage.decode(frame: unwrapInboundIn(data)))
        } catch {
            errorCaught(context: context, error: error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        link.connectionEnded(channel: context.channel, error: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
