import HeraldDaemonKit
import HeraldWire
import NIOCore

/// The edges connected to this batcher, the channels each follows, and the writes to them: every write to an
/// edge goes through that edge's `EdgeOutbox`, so it respects the edge's writability, keeps its order (a
/// request's answer never overtakes deliveries written before it), and a slow edge never stalls the others.
///
/// Confined to the batcher's event loop.
public final class EdgeFanOut {
    private(set) var directory = EdgeDirectory()
    private var outboxes: [StagePeer: EdgeOutbox] = [:]
    private let makeOutbox: (StagePeer) -> EdgeOutbox

    init(makeOutbox: @escaping (StagePeer) -> EdgeOutbox) {
        self.makeOutbox = makeOutbox
    }

    var edgeCount: Int { directory.edgeCount }
    var connected: [StagePeer] { directory.connected }

    func join(_ edge: StagePeer) {
        directory.join(edge)
        if outboxes[edge] == nil { outboxes[edge] = makeOutbox(edge) }
    }

    /// Forgets the edge; returns the channels it followed.
    @discardableResult
    func leave(_ edge: StagePeer) -> [String] {
        outboxes.removeValue(forKey: edge)
        return directory.leave(edge)
    }

    /// Whether the edge did not follow the channel before.
    @discardableResult
    func follow(_ channel: String, by edge: StagePeer) -> Bool { directory.add(channel, for: edge) }
    /// Whether the edge followed the channel.
    @discardableResult
    func unfollow(_ channel: String, by edge: StagePeer) -> Bool { directory.remove(channel, for: edge) }
    func channels(followedBy edge: StagePeer) -> Set<String> { directory.channelsByEdge[edge] ?? [] }
    func followers(of channel: String) -> [StagePeer] { directory.edges(for: channel) }

    /// Writes `frame` to every edge following `channel`; the futures complete as each write reaches the socket.
    func write(_ frame: ByteBuffer, toFollowersOf channel: String, on loop: any EventLoop) -> [EventLoopFuture<Void>] {
        directory.edges(for: channel).map { edge in
            let written = loop.makePromise(of: Void.self)
            write(frame, to: edge, promise: written)
            return written.futureResult
        }
    }

    func write(_ frame: ByteBuffer, to edge: StagePeer, promise: EventLoopPromise<Void>? = nil) {
        guard let outbox = outboxes[edge] else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        outbox.write(frames: frame, promise: promise)
    }

    func send(_ message: WireMessage, to edge: StagePeer) {
        outboxes[edge]?.send(message)
    }
}
