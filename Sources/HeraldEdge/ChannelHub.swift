import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOCore

/// The edge's side of the batcher link: which channels the edge follows (`ChannelTable`), what the batcher
/// must hear about them, and the fan-out of every delivery to the event loops whose connections subscribe.
///
/// Confined to the batcher link's loop (`loop`); `join` and `leave` may be called from any loop and hop there.
final class ChannelHub: @unchecked Sendable {
    struct Counters: Sendable {
        /// Deliveries taken from the batcher and handed to event loops (each event of a batch counts).
        var deliveries = 0
        /// Batches taken from the batcher and handed to event loops, each as one delivery.
        var batches = 0
        /// Deliveries seen before (resent or replayed), dropped.
        var duplicates = 0
        /// Deliveries for channels no connection here subscribes to any more.
        var unrouted = 0
        var interestRequests = 0
        var interestFailures = 0
        /// Requests from the batcher answered (`channels-query`, `terminate-user`).
        var requestsAnswered = 0
        /// Connections closed by `terminate-user`.
        var usersTerminated = 0
        /// `recover` requests sent to the batcher (a native subscribe with `recover`, a Socket.IO recovery).
        var recoveryRequests = 0
    }

    /// How many (event id, channel) pairs are remembered to drop duplicates.
    static let rememberedDeliveries = 100_000

    let loop: any EventLoop
    let shards: [LoopShard]
    /// Every protocol's delivery encoders, indexed by `DeliveryLane`.
    let encoders: [any DeliveryEncoder]
    let logger: Logger
    private(set) var batcher: UpstreamLink!
    var table = ChannelTable()
    private(set) var roster = PresenceRoster()
    var counters = Counters()
    var seen = RecentEventIDs(capacity: rememberedDeliveries)
    /// Interest requests in flight for channels' first subscribers; later joiners wait for the same answer.
    private var pendingInterest: [String: EventLoopFuture<Void>] = [:]
    private var outbox: [[Delivery]]
    private var outboxScheduled = false
    let allocator = ByteBufferAllocator()

    init(loop: any EventLoop, shards: [LoopShard], encoders: [any DeliveryEncoder], logger: Logger) {
        self.loop = loop
        self.shards = shards
        self.encoders = encoders
        self.logger = logger
        self.outbox = Array(repeating: [], count: shards.count)
    }

    /// Creates and starts the batcher link. On `loop`.
    func connect(_ configuration: UpstreamLink.Configuration) {
        loop.preconditionInEventLoop()
        var callbacks = UpstreamLink.Callbacks()
        callbacks.connected = { [self] in
            // Not inline: the link is in the middle of its own (re)connect bookkeeping.
            loop.execute { self.restate() }
            return []
        }
        callbacks.message = { [self] message in received(message) }
        batcher = UpstreamLink(configuration: configuration, loop: loop, callbacks: callbacks, logger: logger)
        batcher.start()
    }

    // MARK: Subscriptions

    /// Counts a subscription to `channel` on loop `loopIndex`. The future completes once the batcher delivers
    /// the channel here — at once when it already does, after its interest answer for a first subscriber (or
    /// after that request failed; the next restatement covers it) — with the channel's position then, when known.
    func join(_ channel: String, loop loopIndex: Int, lane: DeliveryLane) -> EventLoopFuture<ChannelPosition?> {
        loop.flatSubmit {
            let joined: EventLoopFuture<Void>
            if let change = self.table.join(channel, loop: loopIndex, lane: lane) {
                joined = self.send(change, waitedOnBy: channel)
            } else {
                joined = self.pendingInterest[channel] ?? self.loop.makeSucceededVoidFuture()
            }
            return joined.map { self.table.position(of: channel) }
        }
    }

    func leave(_ channel: String, loop loopIndex: Int, lane: DeliveryLane) {
        loop.execute {
            guard let change = self.table.leave(channel, loop: loopIndex, lane: lane) else { return }
            _ = self.send(change, waitedOnBy: nil)
        }
    }

    private func send(_ change: StageRequests.InterestChange, waitedOnBy channel: String?) -> EventLoopFuture<Void> {
        counters.interestRequests += 1
        let answered = batcher.request(method: StageRequests.interest, params: StageRequests.encode(change))
            .flatMapThrowing { try StageRequests.decode(StageRequests.InterestPositions.self, from: $0) }
            .map { self.table.record($0.positions) }
            .recover { error in
                self.counters.interestFailures += 1
                self.logger.warning(
                    "batcher did not take an interest change; the next restatement repeats it",
                    metadata: [
                        "herald.channel": "\(change.add.map(\.channel) + change.remove)", "herald.error": "\(error)",
                    ])
            }
        if let channel {
            pendingInterest[channel] = answered
            answered.whenComplete { _ in
                if self.pendingInterest[channel] === answered { self.pendingInterest[channel] = nil }
            }
        }
        return answered
    }

    /// After every (re)connect: the whole interest, with the last positions seen, so the batcher replays what
    /// the edge missed.
    private func restate() {
        if let change = table.restatement() {
            logger.info("restating interest to the batcher", metadata: ["herald.channels": "\(change.add.count)"])
            _ = send(change, waitedOnBy: nil)
        }
        restatePresence()
    }

    // MARK: Presence

    /// Makes connection `connection` a member of presence channel `channel` and answers the members across all
    /// edges (the batcher's; this edge's own while the batcher cannot be reached). When the user is new there,
    /// the batcher tells every edge following the channel, this one included.
    func presenceJoin(_ channel: String, member: PresenceMember, connection: String)
        -> EventLoopFuture<[PresenceMember]>
    {
        loop.flatSubmit {
            self.roster.join(channel, member: member, connection: connection)
            let seat = StageRequests.PresenceSeat(channel: channel, connection: connection, member: member)
            return self.batcher.request(method: StageRequests.presenceJoin, params: seat.encoded)
                .flatMapThrowing { try StageRequests.PresenceList(params: $0).members }
                .recover { error in
                    self.logger.warning(
                        "the batcher did not answer a presence join; answering this edge's members",
                        metadata: ["herald.channel": "\(channel)", "herald.error": "\(error)"])
                    return self.roster.members(of: channel)
                }
        }
    }

    /// Makes connection `connection` a member of `channel` without waiting for the list (a connection coming
    /// online: `StageRequests.onlineChannel`).
    func presenceEnter(_ channel: String, member: PresenceMember, connection: String) {
        loop.execute {
            guard self.roster.join(channel, member: member, connection: connection) else { return }
            let seat = StageRequests.PresenceSeat(channel: channel, connection: connection, member: member)
            self.batcher.sendIfConnected(.notice(Notice(method: StageRequests.presenceEnter, params: seat.encoded)))
        }
    }

    /// The connection left the presence channel; the batcher decides when its user leaves.
    func presenceLeave(_ channel: String, connection: String) {
        loop.execute {
            guard self.roster.leave(channel, connection: connection) else { return }
            let seat = StageRequests.PresenceSeat(channel: channel, connection: connection)
            self.batcher.sendIfConnected(.notice(Notice(method: StageRequests.presenceLeave, params: seat.encoded)))
        }
    }

    /// The channel's members across all edges (this edge's own while the batcher cannot be reached).
    func presenceMembers(_ channel: String) -> EventLoopFuture<[PresenceMember]> {
        loop.flatSubmit {
            self.batcher.request(
                method: StageRequests.presenceMembers,
                params: StageRequests.PresenceQuery(channel: channel).encoded
            )
            .flatMapThrowing { try StageRequests.PresenceList(params: $0).members }
            .recover { _ in self.roster.members(of: channel) }
        }
    }

    /// After every (re)connect, behind the interest restatement: every membership this edge's connections hold.
    private func restatePresence() {
        let seats = roster.seats
        guard !seats.isEmpty else { return }
        logger.info("restating presence to the batcher", metadata: ["herald.seats": "\(seats.count)"])
        let params = StageRequests.PresenceRestatement(seats: seats).encoded
        batcher.request(method: StageRequests.presenceRestate, params: params).whenFailure { error in
            self.logger.warning(
                "the batcher did not take the presence restatement; the next connect repeats it",
                metadata: ["herald.error": "\(error)"])
        }
    }

    /// A `presence-change` from the batcher: this edge's subscribers of the channel are told, except the
    /// connection whose join it was.
    private func announce(_ notice: StageRequests.PresenceNotice) {
        let channel = notice.channel
        guard let loops = table.loops(subscribedTo: channel), let lanes = table.lanes(of: channel) else { return }
        var frames = [ByteBuffer?](repeating: nil, count: encoders.count)
        for lane in lanes { frames[lane.index] = encoders[lane.index].presenceFrame(notice, allocator: allocator) }
        guard frames.contains(where: { $0 != nil }) else { return }
        let audience = notice.connection.map { Audience(excludeSocketID: $0) } ?? Audience()
        enqueue(Delivery(channel: channel, audience: audience, frames: frames), to: loops)
    }

    // MARK: Deliveries

    private func received(_ message: WireMessage) {
        switch message {
        case .deliver(let event): deliver(event)
        case .batch(let events): deliver(batch: events)
        case .request(let request): answer(request)
        case .notice(let notice) where notice.method == StageRequests.presenceChange:
            do {
                announce(try StageRequests.PresenceNotice(params: notice.params))
            } catch {
                logger.warning("ignoring a malformed presence-change", metadata: ["herald.error": "\(error)"])
            }
        default:
            logger.debug("ignoring message from the batcher", metadata: ["herald.message": "\(message.type)"])
        }
    }

    private func deliver(_ event: WireEvent) {
        let channel = event.channels.first ?? ""
        // One event may be published on several channels under one id: duplicates are per (id, channel).
        guard seen.insert(EventID(uncheckedRawValue: event.id.rawValue + " " + channel)) else {
            counters.duplicates += 1
            logger.debug(
                "dropped a duplicate delivery",
                metadata: ["herald.event.id": "\(event.id)", "herald.channel": "\(channel)"])
            return
        }
        guard table.advance(channel, epoch: event.epoch, offset: event.offset),
            let loops = table.loops(subscribedTo: channel), let lanes = table.lanes(of: channel)
        else {
            counters.unrouted += 1
            logger.debug(
                "no subscribers left for a delivery",
                metadata: ["herald.event.id": "\(event.id)", "herald.channel": "\(channel)"])
            return
        }
        counters.deliveries += 1
        var frames = [ByteBuffer?](repeating: nil, count: encoders.count)
        for lane in lanes { frames[lane.index] = encoders[lane.index].frame(for: event, allocator: allocator) }
        enqueue(Delivery(channel: channel, audience: event.audience, frames: frames, events: [event]), to: loops)
    }

    func enqueue(_ delivery: Delivery, to loops: Dictionary<Int, Int>.Keys) {
        for index in loops { outbox[index].append(delivery) }
        guard !outboxScheduled else { return }
        outboxScheduled = true
        // After the rest of this read: one hand-over per loop for everything the batcher sent in it.
        loop.execute { self.flushOutbox() }
    }

    private func flushOutbox() {
        outboxScheduled = false
        for index in outbox.indices where !outbox[index].isEmpty {
            let batch = outbox[index]
            outbox[index] = []
            let shard = shards[index]
            shard.loop.execute { shard.deliver(batch) }
        }
    }
}
