import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOCore
import Synchronization

/// What every connection of the edge shares: the event loops and their shards, the fan-out hub, the authorizer
/// link, the connection registry, the client protocols and the current settings.
final class EdgeRuntime: Sendable {
    let loops: [any EventLoop]
    let shards: [LoopShard]
    let hub: ChannelHub
    let authorizer: UpstreamLink
    let registry = ConnectionRegistry()
    /// Connection attempts per client IP, for `limits.connection_attempts_per_ip_per_minute`.
    let attempts: ConnectionAttempts
    /// Connections the authorizer counts for `limits.connections_per_user`.
    let counted = CountedConnections()
    /// Long-polling sessions by id.
    let polling = PollingSessions()
    let protocols: [any ClientProtocol]
    /// Each protocol's delivery lanes, indexed like `protocols`.
    let lanes: [[DeliveryLane]]
    let allocator = ByteBufferAllocator()
    let logger: Logger
    /// Typing indicators waiting to expire, for every connection of the edge.
    let typing: TypingScheduler
    private let currentSettings: Mutex<EdgeSettings>

    init(
        loops: [any EventLoop], hub: ChannelHub, protocols: [any ClientProtocol], authorizer: UpstreamLink,
        settings: EdgeSettings, logger: Logger, now: @escaping @Sendable () -> NIODeadline = { .now() }
    ) {
        self.attempts = ConnectionAttempts(limit: settings.connectionAttemptsPerIP, now: now)
        self.loops = loops
        self.shards = hub.shards
        self.hub = hub
        self.authorizer = authorizer
        self.protocols = protocols
        self.lanes = Self.lanes(of: protocols)
        self.logger = logger
        self.currentSettings = Mutex(settings)
        self.typing = TypingScheduler(loop: loops[0]) { [authorizer, logger] event in
            authorizer.send(event).whenFailure { error in
                logger.warning(
                    "an expired typing indicator's stop was not accepted",
                    metadata: ["herald.event.id": "\(event.id)", "herald.error": "\(error)"])
            }
        }
    }

    var settings: EdgeSettings {
        get { currentSettings.withLock { $0 } }
        set { currentSettings.withLock { $0 = newValue } }
    }

    /// Numbers every protocol's encoders in order: the first protocol's lanes come first.
    static func lanes(of protocols: [any ClientProtocol]) -> [[DeliveryLane]] {
        var next = 0
        return protocols.map { clientProtocol in
            let count = clientProtocol.deliveryEncoders.count
            defer { next += count }
            return (next..<next + count).map(DeliveryLane.init)
        }
    }

    func shard(for loop: any EventLoop) -> LoopShard {
        guard let index = loops.firstIndex(where: { $0 === loop }) else {
            preconditionFailure("a connection was accepted on an event loop outside the edge's group")
        }
        return shards[index]
    }

    /// Hands a client's event to the authorizer, which takes it on like one from ingress; succeeds once it is
    /// acknowledged, and is resent after a reconnect until it is settled.
    func publish(_ event: WireEvent) -> EventLoopFuture<Void> {
        authorizer.send(event)
    }

    /// How much longer than an app's `rpc.timeout_ms` the edge waits for the authorizer's answer to a call, so
    /// the authorizer's own UNAVAILABLE arrives first.
    static let callGrace: Duration = .seconds(1)

    /// `client-rpc`: the backend's JSON answer to a client's call, or UNAVAILABLE / INTERNAL.
    func call(_ call: StageRequests.ClientRPC, timeout: Duration) -> EventLoopFuture<ByteBuffer> {
        authorizer.request(method: StageRequests.clientRPC, params: call.params, timeout: timeout + Self.callGrace)
            .flatMapThrowing { try StageRequests.ClientRPCAnswer(params: $0).answer }
    }

    /// `authorize-subscribe`: succeeds when `principal` may subscribe to `channel`, with the backend hook's
    /// `info` about the user when it gave one (JSON text).
    func authorizeSubscribe(_ principal: Principal, channel: String, token: String?, socketID: String)
        -> EventLoopFuture<String?>
    {
        let ask = StageRequests.AuthorizeSubscribe(
            principal: principal, channel: channel, token: token, socketID: socketID)
        return authorizer.request(
            method: StageRequests.authorizeSubscribe, params: StageRequests.encode(ask)
        ).flatMapThrowing { answer in
            let verdict = try StageRequests.decode(StageRequests.SubscribeVerdict.self, from: answer)
            guard verdict.allowed else { throw HeraldError(.permissionDenied, "Unauthorized") }
            return verdict.info
        }
    }
}
