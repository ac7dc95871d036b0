import HeraldModel
import NIOCore

/// One client connection as the fan-out sees it: who it is and where to write. Created when the TCP connection
/// is accepted; `LoopShard` holds it while it subscribes to channels.
///
/// `id`, `loopIndex` and `channel` never change. Everything else is confined to the channel's event loop, which
/// is the only place deliveries to it are written, hence `@unchecked Sendable`.
final class EdgeConnection: Hashable, @unchecked Sendable {
    let id: String
    let loopIndex: Int
    let channel: any Channel

    /// Set once the connection is authenticated; deliveries are filtered by it.
    var principal: Principal?
    /// Where pre-encoded frames go, once upgraded.
    var outlet: RawFrameOutlet?
    /// Index into the edge's protocols: which of each delivery's frames this connection takes.
    var protocolIndex = 0
    /// False until authenticated, and again once closing (a slow consumer gets nothing more).
    var receivesDeliveries = false
    /// Whether the registry counts this connection.
    var holdsPlace = false
    /// Set while a fan-out batch has written to it and not flushed yet.
    var needsFlush = false
    /// Ends the connection with a close frame (set by the handler, for shutdown).
    var terminate: ((CloseCode, String) -> Void)?

    init(id: String, loopIndex: Int, channel: any Channel) {
        self.id = id
        self.loopIndex = loopIndex
        self.channel = channel
    }

    static func == (lhs: EdgeConnection, rhs: EdgeConnection) -> Bool { lhs === rhs }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
