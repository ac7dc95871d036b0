import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

/// What differs between one batcher host and many: where each channel's events are numbered (epoch, offset,
/// sequence) and remembered, how they reach the edges this batcher serves, and where Socket.IO sessions are
/// kept for recovery. `memory` (`MemoryEngine`) keeps it all in this process; an engine shared by several hosts
/// keeps history in a store they all reach and fans out through it, delivering to its own edges with
/// `EdgeFanOut`.
///
/// Windows, coalescing and settling stay above the engine, in `BatcherService`. Engines are confined to the
/// batcher's event loop, and their futures complete there.
public protocol BatcherEngine: AnyObject {
    /// Numbers `events` (all on `channel`, in delivery order), keeps them in the channel's history and
    /// delivers them to every edge following the channel, as one frame. Completes once the frame was written
    /// to each of those edges, when the events may be settled upstream; fails when it could not be kept.
    func publish(_ events: [WireEvent], on channel: String) -> EventLoopFuture<Void>

    /// An edge connected (`joined`) or went away.
    func edgeJoined(_ edge: StagePeer)
    func edgeLeft(_ edge: StagePeer)

    /// An edge's interest change: it follows the added channels from now on (an entry with a position first
    /// gets the events it missed since) and no longer the removed ones. Answers each added channel's position.
    func follow(_ change: StageRequests.InterestChange, from edge: StagePeer)
        -> EventLoopFuture<[String: ChannelPosition]>

    /// For each channel, whether a client's position there can be recovered, and the events after it (an
    /// encoded `RecoveryAnswer`).
    func recover(_ request: StageRequests.Recover) -> EventLoopFuture<ByteBuffer>

    /// Stores a Socket.IO session's channels; loads a session's record (nil once it expired).
    func saveSession(_ save: StageRequests.SessionSave) -> EventLoopFuture<Void>
    func loadSession(pid: String) -> EventLoopFuture<StageRequests.SessionRecord?>

    /// A connection of `edge` joined a presence channel: answers the members, the new one included, and tells the
    /// channel's edges when its user is new there (`presence-change`).
    func presenceJoin(_ seat: StageRequests.PresenceSeat, from edge: StagePeer) -> EventLoopFuture<[PresenceMember]>
    /// The same join when nobody waits for the list (`presence-enter`: a connection coming online).
    func presenceEnter(_ seat: StageRequests.PresenceSeat, from edge: StagePeer)
    /// A connection of `edge` left a presence channel; its user leaves after the grace unless it comes back.
    func presenceLeave(_ seat: StageRequests.PresenceSeat, from edge: StagePeer)
    /// Every presence membership an edge's connections hold, restated after each connect.
    func presenceRestate(_ seats: [StageRequests.PresenceSeat], from edge: StagePeer) -> EventLoopFuture<Void>
    /// A presence channel's members, in order of arrival.
    func presenceMembers(of channel: String) -> EventLoopFuture<[PresenceMember]>
    /// Called with every presence arrival and departure and when it happened (milliseconds since the epoch),
    /// after the edges were told.
    var presenceObserver: ([PresenceLedger.Change], Int64) -> Void { get set }

    /// Writes a message to one edge after everything already written to it (request answers).
    func send(_ message: WireMessage, to edge: StagePeer)

    /// Told, on the engine's loop, when a channel gains its first follower among all edges (occupied) or loses
    /// its last (vacated): the `channel_occupied` and `channel_vacated` webhooks. An engine shared by several
    /// hosts reports each change once, on the host that made it.
    var occupancyChanged: (([ChannelOccupancy.Change]) -> Void)? { get set }

    /// The edges this batcher serves.
    var fanOut: EdgeFanOut { get }
    /// Channels with history or numbering here.
    var channelCount: Int { get }
}
