import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

/// The single-host engine: per-channel offsets, an engine-wide sequence, bounded histories (count and age) and
/// Socket.IO session records, all in this process, delivered straight to the edges connected here. Its epoch is
/// new with every process, so after a restart clients hear `epoch_changed`, and an edge that restates its
/// interest gets each channel's whole new history and drops what it already had by event id.
///
/// A new epoch keeps every event for its first moments (`warmUp`, at most `warmUpEvents` per channel): after a
/// restart the authorizer's resent and queued events can reach the batcher before the edges have restated their
/// interest, and the replay that then brings them to the edges must not be cut short by the count limit.
public final class MemoryEngine: BatcherEngine {
    public let epoch: String
    public let fanOut: EdgeFanOut
    private let loop: any EventLoop
    /// How much history a channel keeps: events and seconds (`batcher.history_*`, `channel_history`).
    private let retention: (String) -> (events: Int, seconds: Int)
    private let warmUpEndsAt: Int64
    private let warmUpEvents: Int
    private let now: () -> Int64
    private var channels: [String: ChannelHistory] = [:]
    private var lastSequence: Int64 = 0
    private var sessions: SessionRecords
    private let presence: PresenceKeeper
    private var occupancy: ChannelOccupancy
    private var occupancyTimer: Scheduled<Void>?
    private var occupancyTimerDeadline: Int64?
    public var occupancyChanged: (([ChannelOccupancy.Change]) -> Void)?

    /// How long the channels of an edge whose link was lost stay occupied, waiting for it to restate them, by
    /// default; herald-batcher uses `edge.presence_grace_ms`.
    public static let lostEdgeGrace: Duration = .seconds(3)

    /// How long a session record is kept after its last save. Long, because a session saves only when its
    /// channels change; whether its events can still be replayed is the history's decision.
    public static let sessionLifetime: Duration = .seconds(86_400)

    /// The largest recovery answer: a recovery that would not fit one stage frame is refused as expired.
    static let answerBudget = WireProtocol.maximumFrameBytes - 64 * 1024

    public convenience init(
        loop: any EventLoop, fanOut: EdgeFanOut, historyEvents: Int, historySeconds: Int,
        epoch: String = MemoryEngine.newEpoch(), warmUp: Duration = .seconds(30), warmUpEvents: Int = 20_000,
        sessionCapacity: Int = 100_000, presenceGraceMilliseconds: Int64 = 3000,
        lostEdgeGrace: Duration = MemoryEngine.lostEdgeGrace,
        now: @escaping () -> Int64 = Clock.wallMilliseconds
    ) {
        self.init(
            loop: loop, fanOut: fanOut, retention: { _ in (historyEvents, historySeconds) }, epoch: epoch,
            warmUp: warmUp, warmUpEvents: warmUpEvents, sessionCapacity: sessionCapacity,
            presenceGraceMilliseconds: presenceGraceMilliseconds, lostEdgeGrace: lostEdgeGrace, now: now)
    }

    public init(
        loop: any EventLoop, fanOut: EdgeFanOut, retention: @escaping (String) -> (events: Int, seconds: Int),
        epoch: String = MemoryEngine.newEpoch(), warmUp: Duration = .seconds(30), warmUpEvents: Int = 20_000,
        sessionCapacity: Int = 100_000, presenceGraceMilliseconds: Int64 = 3000,
        lostEdgeGrace: Duration = MemoryEngine.lostEdgeGrace,
        now: @escaping () -> Int64 = Clock.wallMilliseconds
    ) {
        self.loop = loop
        self.occupancy = ChannelOccupancy(
            graceMilliseconds: lostEdgeGrace.components.seconds * 1000
                + lostEdgeGrace.components.attoseconds / 1_000_000_000_000_000)
        self.fanOut = fanOut
        self.epoch = epoch
        self.retention = retention
        self.warmUpEndsAt = now() + warmUp.components.seconds * 1000
        self.warmUpEvents = warmUpEvents
        self.now = now
        self.sessions = SessionRecords(
            lifetimeMilliseconds: Self.sessionLifetime.components.seconds * 1000, capacity: sessionCapacity)
        self.presence = PresenceKeeper(
            loop: loop, fanOut: fanOut, graceMilliseconds: presenceGraceMilliseconds, now: now)
    }

    public static func newEpoch() -> String {
        String(EventID.generate().rawValue.dropFirst(4).suffix(12)).lowercased()
    }

    public var channelCount: Int { channels.count }

    // MARK: Publishing

    public func publish(_ events: [WireEvent], on channel: String) -> EventLoopFuture<Void> {
        guard !events.isEmpty else { return loop.makeSucceededVoidFuture() }
        // Taken out of the dictionary while it changes, so its storage is never shared and never copied.
        var history = channels.removeValue(forKey: channel) ?? newHistory(channel)
        var numbered = events
        for index in numbered.indices {
            lastSequence += 1
            numbered[index].channels = [channel]
            numbered[index].offset = history.nextOffset + Int64(index)
            numbered[index].epoch = epoch
            numbered[index].sequence = lastSequence
        }
        var frame = ByteBufferAllocator().buffer(capacity: 64 + events.count * 400)
        let objects = frame.writeDeliveryFrame(numbered)
        let stamp = now()
        for (event, range) in zip(numbered, objects) {
            history.append(
                ChannelHistory.Entry(
                    offset: event.offset!, sequence: event.sequence!, storedAt: stamp,
                    object: frame.getSlice(at: range.lowerBound, length: range.count)!))
        }
        trim(&history, now: stamp)
        channels[channel] = history
        let writes = fanOut.write(frame, toFollowersOf: channel, on: loop)
        return EventLoopFuture.andAllSucceed(writes, on: loop)
    }

    private func newHistory(_ channel: String) -> ChannelHistory {
        let (events, seconds) = retention(channel)
        return ChannelHistory(keeps: events, maximumAge: Int64(seconds) * 1000)
    }

    private func trim(_ history: inout ChannelHistory, now: Int64) {
        history.trim(now: now, floor: now < warmUpEndsAt ? warmUpEvents : 0)
    }

    private func position(of channel: String) -> ChannelPosition {
        ChannelPosition(epoch: epoch, offset: channels[channel]?.lastOffset ?? 0)
    }

    // MARK: Edges

    public func edgeJoined(_ edge: StagePeer) { fanOut.join(edge) }

    /// The edge's channels stay occupied for `lostEdgeGrace`, in case it reconnects and restates them.
    public func edgeLeft(_ edge: StagePeer) {
        let stamp = now()
        report(fanOut.leave(edge).compactMap { occupancy.unfollowed($0, lost: true, now: stamp) })
        presence.edgeLost(edge)
    }

    public func follow(_ change: StageRequests.InterestChange, from edge: StagePeer)
        -> EventLoopFuture<[String: ChannelPosition]>
    {
        var dropped = change.remove
        if change.reset == true {
            // Channels restated are kept rather than dropped and taken again: they were never vacated.
            let restated = Set(change.add.map(\.channel))
            dropped += fanOut.channels(followedBy: edge).subtracting(restated).sorted()
        }
        var changes: [ChannelOccupancy.Change] = []
        let stamp = now()
        for channel in dropped where fanOut.unfollow(channel, by: edge) {
            if let vacated = occupancy.unfollowed(channel, lost: false, now: stamp) { changes.append(vacated) }
        }
        var positions: [String: ChannelPosition] = [:]
        var missed = ByteBuffer()
        for entry in change.add {
            if fanOut.follow(entry.channel, by: edge), let occupied = occupancy.followed(entry.channel) {
                changes.append(occupied)
            }
            if let epoch = entry.epoch {
                missedFrames(entry.channel, epoch: epoch, offset: entry.offset, into: &missed)
            }
            positions[entry.channel] = position(of: entry.channel)
        }
        if missed.readableBytes > 0 { fanOut.write(missed, to: edge) }
        report(changes)
        return loop.makeSucceededFuture(positions)
    }

    // MARK: Occupancy

    private func report(_ changes: [ChannelOccupancy.Change]) {
        if !changes.isEmpty { occupancyChanged?(changes) }
        scheduleOccupancyTimer()
    }

    /// Keeps one timer at the time the next held channel is vacated.
    private func scheduleOccupancyTimer() {
        let deadline = occupancy.nextDeadline()
        guard deadline != occupancyTimerDeadline else { return }
        occupancyTimer?.cancel()
        occupancyTimer = nil
        occupancyTimerDeadline = deadline
        guard let deadline else { return }
        occupancyTimer = loop.assumeIsolated().scheduleTask(in: .milliseconds(max(deadline - now(), 0))) {
            [self] in
            occupancyTimer = nil
            occupancyTimerDeadline = nil
            report(occupancy.due(now: now()))
        }
    }

    /// What an edge missed on `channel` since its position: every `deliver` after it in the same epoch, the
    /// whole history when the epoch changed (the edge drops what it already had by event id).
    private func missedFrames(_ channel: String, epoch: String, offset: Int64?, into frames: inout ByteBuffer) {
        guard var history = channels.removeValue(forKey: channel) else { return }
        trim(&history, now: now())
        channels[channel] = history
        let after = epoch == self.epoch ? (offset ?? 0) : 0
        for entry in history.entries where entry.offset > after { frames.writeDeliverFrame(eventObject: entry.object) }
    }

    // MARK: Recovery

    public func recover(_ request: StageRequests.Recover) -> EventLoopFuture<ByteBuffer> {
        let stamp = now()
        var verdicts: [RecoveryAnswer.Channel] = []
        var replayed: [ChannelHistory.Entry] = []
        var budget = Self.answerBudget
        for entry in request.channels {
            let known = channels[entry.channel] != nil
            var history = channels.removeValue(forKey: entry.channel) ?? newHistory(entry.channel)
            trim(&history, now: stamp)
            if known { channels[entry.channel] = history }
            let current = ChannelPosition(epoch: epoch, offset: history.lastOffset)
            guard entry.epoch == epoch else {
                verdicts.append(
                    RecoveryAnswer.Channel(channel: entry.channel, position: current, refusal: .epochChanged))
                continue
            }
            let cursor: ChannelHistory.Cursor =
                entry.offset.map { .offset($0) } ?? entry.sequence.map { .sequence($0) } ?? .offset(0)
            switch history.replay(after: cursor, lastSequence: lastSequence) {
            case .refused(let refusal):
                verdicts.append(RecoveryAnswer.Channel(channel: entry.channel, position: current, refusal: refusal))
            case .events(let entries):
                let bytes = entries.reduce(0) { $0 + $1.object.readableBytes + 1 }
                guard bytes <= budget else {
                    verdicts.append(
                        RecoveryAnswer.Channel(channel: entry.channel, position: current, refusal: .positionExpired))
                    continue
                }
                budget -= bytes
                verdicts.append(RecoveryAnswer.Channel(channel: entry.channel, position: current))
                replayed.append(contentsOf: entries)
            }
        }
        replayed.sort { $0.sequence < $1.sequence }
        var answer = ByteBuffer()
        answer.writeRecoveryAnswer(channels: verdicts, eventObjects: replayed.map(\.object))
        return loop.makeSucceededFuture(answer)
    }

    // MARK: Sessions

    public func saveSession(_ save: StageRequests.SessionSave) -> EventLoopFuture<Void> {
        sessions.save(save, at: StageRequests.SessionJoin(epoch: epoch, sequence: lastSequence), now: now())
        return loop.makeSucceededVoidFuture()
    }

    public func loadSession(pid: String) -> EventLoopFuture<StageRequests.SessionRecord?> {
        loop.makeSucceededFuture(sessions.load(pid: pid, now: now()))
    }

    public func send(_ message: WireMessage, to edge: StagePeer) { fanOut.send(message, to: edge) }

    // MARK: Presence

    public func presenceJoin(_ seat: StageRequests.PresenceSeat, from edge: StagePeer)
        -> EventLoopFuture<[PresenceMember]>
    {
        loop.makeSucceededFuture(presence.join(seat, from: edge))
    }

    public func presenceEnter(_ seat: StageRequests.PresenceSeat, from edge: StagePeer) {
        presence.enter(seat, from: edge)
    }

    public func presenceLeave(_ seat: StageRequests.PresenceSeat, from edge: StagePeer) {
        presence.leave(seat, from: edge)
    }

    public func presenceRestate(_ seats: [StageRequests.PresenceSeat], from edge: StagePeer) -> EventLoopFuture<Void> {
        presence.restate(seats, from: edge)
        return loop.makeSucceededVoidFuture()
    }

    public func presenceMembers(of channel: String) -> EventLoopFuture<[PresenceMember]> {
        loop.makeSucceededFuture(presence.members(of: channel))
    }

    public var presenceObserver: ([PresenceLedger.Change], Int64) -> Void {
        get { presence.observe }
        set { presence.observe = newValue }
    }
}
