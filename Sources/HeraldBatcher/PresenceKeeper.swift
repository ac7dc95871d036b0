import HeraldDaemonKit
import HeraldWire
import NIOCore

/// Presence for the edges this batcher serves: the `PresenceLedger` with its clock and timer, and the
/// `presence-change` notices that tell every edge following a channel who arrived and who left.
///
/// Confined to the batcher's event loop. `MemoryEngine` holds one; an engine shared by several hosts would keep
/// the ledger in its store instead and still tell its own edges through `EdgeFanOut`.
final class PresenceKeeper {
    private var ledger: PresenceLedger
    private let loop: any EventLoop
    private let fanOut: EdgeFanOut
    private let now: () -> Int64
    /// Each edge's name in the ledger, made once: every connection of an edge shares its storage.
    private var edgeNames: [ObjectIdentifier: String] = [:]
    private var timer: Scheduled<Void>?
    private var timerDeadline: Int64?
    /// Told of every arrival and departure after the edges were (webhooks).
    var observe: ([PresenceLedger.Change], Int64) -> Void = { _, _ in }

    init(loop: any EventLoop, fanOut: EdgeFanOut, graceMilliseconds: Int64, now: @escaping () -> Int64) {
        self.ledger = PresenceLedger(graceMilliseconds: graceMilliseconds)
        self.loop = loop
        self.fanOut = fanOut
        self.now = now
    }

    var channelCount: Int { ledger.channelCount }

    func members(of channel: String) -> [PresenceMember] {
        ledger.members(of: channel).map { PresenceMember(userID: $0.userID, info: $0.info, since: $0.since) }
    }

    /// A connection of `edge` joined; answers the channel's members, the new one included.
    func join(_ seat: StageRequests.PresenceSeat, from edge: StagePeer) -> [PresenceMember] {
        enter(seat, from: edge)
        return members(of: seat.channel)
    }

    /// A connection of `edge` joined, and nobody asked for the list (`presence-enter`, a restatement).
    func enter(_ seat: StageRequests.PresenceSeat, from edge: StagePeer) {
        guard let member = seat.member else { return }
        let connection = PresenceLedger.Connection(edge: name(of: edge), id: seat.connection)
        let stamp = now()
        // `#online` is never listed: its info (the user's roles) is read on arrival only, and not kept for each of
        // the connections every user holds there.
        let listed = seat.channel != StageRequests.onlineChannel
        guard
            case .joined(let channel, var joined)? = ledger.join(
                seat.channel, userID: member.userID, info: listed ? member.info : nil, connection: connection,
                now: stamp)
        else { return }
        joined.info = member.info
        tell([.joined(channel: channel, member: joined)], joining: seat.connection, at: stamp)
    }

    func leave(_ seat: StageRequests.PresenceSeat, from edge: StagePeer) {
        ledger.leave(
            seat.channel, connection: PresenceLedger.Connection(edge: name(of: edge), id: seat.connection),
            now: now())
        armTimer()
    }

    /// Everything an edge's connections hold, after it (re)connected.
    func restate(_ seats: [StageRequests.PresenceSeat], from edge: StagePeer) {
        for seat in seats { enter(seat, from: edge) }
    }

    /// The edge's link closed: its connections are gone, and their users leave after the grace unless they
    /// come back (through this edge reconnecting, or another).
    func edgeLost(_ edge: StagePeer) {
        ledger.edgeLost(name(of: edge), now: now())
        edgeNames[ObjectIdentifier(edge)] = nil
        armTimer()
    }

    private func name(of edge: StagePeer) -> String {
        if let name = edgeNames[ObjectIdentifier(edge)] { return name }
        let name = edge.description
        edgeNames[ObjectIdentifier(edge)] = name
        return name
    }

    private func tell(_ changes: [PresenceLedger.Change], joining connection: String? = nil, at stamp: Int64) {
        for change in changes {
            let notice: StageRequests.PresenceNotice
            switch change {
            case .joined(let channel, let member):
                notice = StageRequests.PresenceNotice(
                    channel: channel,
                    change: .added(PresenceMember(userID: member.userID, info: member.info, since: member.since)),
                    connection: connection, time: stamp)
            case .left(let channel, let userID):
                notice = StageRequests.PresenceNotice(channel: channel, change: .removed(userID: userID), time: stamp)
            }
            guard !fanOut.followers(of: notice.channel).isEmpty else { continue }
            var frame = ByteBufferAllocator().buffer(capacity: 160)
            frame.writeWireFrame(.notice(Notice(method: StageRequests.presenceChange, params: notice.encoded)))
            _ = fanOut.write(frame, toFollowersOf: notice.channel, on: loop)
        }
        observe(changes, stamp)
    }

    private func armTimer() {
        guard let deadline = ledger.nextDeadline() else {
            timer?.cancel()
            timer = nil
            timerDeadline = nil
            return
        }
        guard deadline != timerDeadline else { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = loop.assumeIsolated().scheduleTask(in: .milliseconds(max(deadline - now(), 0))) { [self] in
            timer = nil
            timerDeadline = nil
            let stamp = now()
            let departures = ledger.due(now: stamp)
            if !departures.isEmpty { tell(departures, at: stamp) }
            armTimer()
        }
    }
}
