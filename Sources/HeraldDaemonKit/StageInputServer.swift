import HeraldModel
import HeraldWire
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// What a stage does with the connections on its `input` socket. Called on the server's event loop.
public protocol StageInputDelegate: AnyObject, Sendable {
    func peerJoined(_ peer: StagePeer)
    func peer(_ peer: StagePeer, sent message: WireMessage)
    func peerLeft(_ peer: StagePeer)
}

/// Accepts stage connections on a listening AF_UNIX fd. Every connection must open with `hello` naming a
/// known stage and this protocol version, and is answered with the server's own `hello`; a frame that does
/// not decode, or a `hello` that does not fit, is answered with an `error` frame and that connection is
/// closed, while the daemon and its other connections carry on.
///
/// All connections live on one event loop, the stage's, so the delegate needs no locks.
public final class StageInputServer: Sendable {
    private let channel: any Channel
    private let connections: OpenConnections

    private init(channel: any Channel, connections: OpenConnections) {
        self.channel = channel
        self.connections = connections
    }

    public static func start(
        boundSocket fd: CInt, hello: Hello, loop: any EventLoop, delegate: any StageInputDelegate, logger: Logger
    ) async throws -> StageInputServer {
        let counter = ConnectionCounter()
        let connections = OpenConnections()
        let channel = try await ServerBootstrap(group: loop, childGroup: loop)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { channel in
                let number = counter.next()
                connections.insert(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WireFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(
                        StageInputHandler(connectionNumber: number, hello: hello, delegate: delegate, logger: logger))
                }
            }
            .withBoundSocket(fd)
            .get()
        return StageInputServer(channel: channel, connections: connections)
    }

    /// Stops accepting and closes every accepted connection, so peers reconnect to the next instance.
    public func close() async {
        try? await channel.close()
        for connection in connections.drain() { try? await connection.close() }
    }
}

/// The connections a server accepted and that are still open.
final class OpenConnections: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func insert(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        channels.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { _ in _ = self.channels.withLock { $0.removeValue(forKey: key) } }
    }

    func drain() -> [any Channel] {
        channels.withLock { open in
            defer { open = [:] }
            return Array(open.values)
        }
    }
}

/// Numbers a server's connections for logs.
final class ConnectionCounter: Sendable {
    private let last = Atomic<Int>(0)
    func next() -> Int { last.add(1, ordering: .relaxed).newValue }
}

final class StageInputHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let connectionNumber: Int
    /// This server's own `hello`, the answer to the peer's.
    private let hello: Hello
    private let delegate: any StageInputDelegate
    private let logger: Logger
    private var peer: StagePeer?

    init(connectionNumber: Int, hello: Hello, delegate: any StageInputDelegate, logger: Logger) {
        self.connectionNumber = connectionNumber
        self.hello = hello
        self.delegate = delegate
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message: WireMessage
        do {
            message = try WireMessage.decode(frame: unwrapInboundIn(data))
        } catch {
            reject(context: context, error: error)
            return
        }
        if let peer {
            guard case .events(let events) = message else { return delegate.peer(peer, sent: message) }
            // A packed frame is, for the stage, the same events one frame each.
            for event in events { delegate.peer(peer, sent: .event(event)) }
        } else if case .hello(let hello) = message {
            if let refusal = Self.refusal(of: hello) {
                reject(context: context, error: refusal)
                return
            }
            let peer = StagePeer(connectionNumber: connectionNumber, hello: hello, channel: context.channel)
            self.peer = peer
            peer.send(.hello(self.hello))
            logger.debug("stage connected", metadata: ["herald.peer": "\(peer)"])
            delegate.peerJoined(peer)
        } else {
            reject(context: context, error: HeraldError(.invalidPayload, "the first frame must be hello"))
        }
    }

    /// Why a peer's `hello` is not acceptable, or nil when it is.
    static func refusal(of hello: Hello) -> HeraldError? {
        guard Stage(rawValue: hello.stage) != nil else {
            let known = Stage.allCases.map(\.rawValue).joined(separator: ", ")
            return HeraldError(.invalidPayload, "hello.stage: \"\(hello.stage)\" is not a stage (\(known))")
        }
        guard hello.version == WireProtocol.version else {
            return HeraldError(
                .invalidPayload,
                "hello.version: this stage speaks protocol version \(WireProtocol.version), not \(hello.version); "
                    + "run the same Herald version in every stage")
        }
        return nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        peer?.onWritabilityChanged?(context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let peer {
            self.peer = nil
            delegate.peerLeft(peer)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        reject(context: context, error: error)
    }

    private func reject(context: ChannelHandlerContext, error: any Error) {
        let failure = WireFailure(error)
        logger.warning(
            "malformed frame on input socket; closing that connection",
            metadata: [
                "herald.peer": "\(peer.map { "\($0)" } ?? "#\(connectionNumber)")",
                "herald.error": "\(failure.message)",
            ])
        var frame = context.channel.allocator.buffer(capacity: 128)
        frame.writeWireFrame(.error(failure))
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
    }
}
