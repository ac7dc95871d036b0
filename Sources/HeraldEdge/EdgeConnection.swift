import HeraldModel
import NIOCore

/// One client connection as the fan-out sees it: who it is and where to write. Created when the client
/// connects; `LoopShard` holds it while it subscribes to channels.
///
/// `id`, `loopIndex` and `loop` never change. Everything else is confined to `loop`, which is the only place
/// deliveries to it are written, hence `@unchecked Sendable`.
public final class EdgeConnection: Hashable, @unchecked Sendable {
    public let id: String
    let loopIndex: Int
    public let loop: any EventLoop

    /// Set once the connection is open; deliveries are filtered by it (nil: anonymous).
    var principal: Principal?
    /// Where frames go, once the transport is ready.
    var outlet: (any ConnectionOutlet)?
    /// False until open, and again once closing (a slow consumer gets nothing more).
    var receivesDeliveries = false
    /// Whether the registry counts this connection.
    var holdsPlace = false
    /// Set while a fan-out batch has written to it and not flushed yet.
    var needsFlush = false
    /// Channels whose deliveries are held back, each with what arrived for it meanwhile, in order. While the
    /// connection recovers a channel from history, the fan-out appends the channel's deliveries here instead
    /// of writing them; recovery writes them once the replay is out, leaving out what the replay covered.
    var heldChannels: [String: [Delivery]] = [:]
    /// Per channel, the position a recovery replayed through: deliveries at or below it were replayed already
    /// and are dropped, until the first later one.
    var replayedThrough: [String: ChannelPosition] = [:]
    /// The presence channels the connection is a member of; leaving one (or closing) ends the membership.
    var presenceChannels: Set<String> = []
    /// Whether the connection counts its user as online (`StageRequests.onlineChannel`): every authenticated
    /// connection does, so it is a flag rather than an entry of `presenceChannels`, which stays unallocated for
    /// most connections.
    var isOnline = false
    /// Per channel, what the backend authorization hook said of the user when it allowed the subscription: its
    /// presence member info there, in place of the token's.
    var hookInfo: [String: ByteBuffer] = [:]
    /// Ends the connection with a close frame (set by its driver, for shutdown).
    var terminate: ((CloseCode, String) -> Void)?
    /// Completed when the connection has ended (`markEnded()`).
    let ended: EventLoopPromise<Void>
    private var hasEnded = false

    init(id: String, loopIndex: Int, loop: any EventLoop) {
        self.id = id
        self.loopIndex = loopIndex
        self.loop = loop
        self.ended = loop.makePromise(of: Void.self)
    }

    /// Completes `ended`, once. On `loop`.
    func markEnded() {
        guard !hasEnded else { return }
        hasEnded = true
        ended.succeed()
    }

    public static func == (lhs: EdgeConnection, rhs: EdgeConnection) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
