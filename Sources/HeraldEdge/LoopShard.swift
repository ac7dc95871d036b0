import HeraldModel
import NIOCore

/// The connections of one event loop and the channels they subscribe to. Only that loop touches it, so the
/// fan-out needs no locks: `ChannelHub` hands each loop its deliveries in one `execute`, the shard writes the
/// shared frames to every admitted connection and flushes each socket once at the end.
///
/// Each connection is judged on its own backlog: one that is behind loses droppable deliveries, one over its
/// limit is cut off, and neither slows the others down.
final class LoopShard: @unchecked Sendable {
    let loop: any EventLoop
    let index: Int
    /// Each channel's subscribers, with the delivery lane each takes.
    private var subscribers: [String: [EdgeConnection: DeliveryLane]] = [:]
    private(set) var connections: Set<EdgeConnection> = []
    /// Writes to sockets by this loop: one per delivery per connection (a batch is one write).
    private(set) var framesOut = 0
    /// Events left out for connections that were behind (`dropped_slow`).
    private(set) var droppedSlow = 0
    /// Connections closed as slow consumers (`closed_slow`).
    private(set) var closedSlow = 0

    init(loop: any EventLoop, index: Int) {
        self.loop = loop
        self.index = index
    }

    var connectionCount: Int { connections.count }

    func register(_ connection: EdgeConnection) {
        connections.insert(connection)
    }

    func unregister(_ connection: EdgeConnection) {
        connections.remove(connection)
    }

    func add(_ connection: EdgeConnection, to channel: String, lane: DeliveryLane) {
        subscribers[channel, default: [:]][connection] = lane
    }

    /// Removes a subscription; returns the lane it took, or nil when there was none.
    /// The channel's members are changed where they are: taking them out by value and writing them back would
    /// copy every member per leave, which made closing 10,000 connections of one channel quadratic.
    func remove(_ connection: EdgeConnection, from channel: String) -> DeliveryLane? {
        guard let lane = subscribers[channel]?.removeValue(forKey: connection) else { return nil }
        if subscribers[channel]?.isEmpty == true { subscribers[channel] = nil }
        return lane
    }

    /// Writes each delivery to the subscribers its audience admits, then flushes every socket written to once;
    /// a connection left with more than its limit unsent is cut off.
    func deliver(_ batch: [Delivery]) {
        loop.preconditionInEventLoop()
        var touched: [EdgeConnection] = []
        for delivery in batch {
            guard let members = subscribers[delivery.channel] else { continue }
            let mayDrop = delivery.mayDrop
            for (connection, lane) in members where connection.receivesDeliveries {
                guard write(delivery, to: connection, lane: lane, mayDrop: mayDrop), !connection.needsFlush else {
                    continue
                }
                connection.needsFlush = true
                touched.append(connection)
            }
        }
        for connection in touched {
            connection.needsFlush = false
            guard let outlet = connection.outlet else { continue }
            outlet.flush()
            if outlet.backlog == .over { cutOff(connection) }
        }
    }

    /// Writes what `connection` gets of `delivery` on `lane`, unflushed, or keeps the delivery while the
    /// connection holds its channel. Returns whether something was written. `mayDrop` is `delivery.mayDrop`.
    func write(_ delivery: Delivery, to connection: EdgeConnection, lane: DeliveryLane, mayDrop: Bool) -> Bool {
        if !connection.heldChannels.isEmpty, connection.heldChannels[delivery.channel] != nil {
            connection.heldChannels[delivery.channel]?.append(delivery)
            return false
        }
        if !connection.replayedThrough.isEmpty, let replayed = connection.replayedThrough[delivery.channel] {
            if delivery.wasReplayed(through: replayed) { return false }
            if delivery.lastPosition != nil { connection.replayedThrough[delivery.channel] = nil }
        }
        guard let outlet = connection.outlet, let shared = delivery.frames[lane.index] else { return false }
        var backlog = OutboundBacklog.clear
        if mayDrop {
            backlog = outlet.backlog
            if backlog != .clear, connection.needsFlush {
                // What this hand-over wrote is not a backlog until the socket has refused it.
                outlet.flush()
                backlog = outlet.backlog
            }
        }
        let frame: ByteBuffer
        if backlog == .clear, delivery.parts == nil {
            let audience = delivery.audience
            guard audience.isEveryone || audience.admits(connection.principal, socketID: connection.id) else {
                return false
            }
            frame = shared
        } else {
            let share = delivery.share(for: connection.principal, socketID: connection.id, backlog: backlog)
            droppedSlow += share.dropped
            switch share.portion {
            case .whole:
                frame = shared
            case .part(let selection):
                guard let parts = delivery.parts else { return false }
                frame = parts.frames(for: selection, lane: lane)
            case .nothing:
                if backlog == .over { cutOff(connection) }
                return false
            }
        }
        outlet.write(frame)
        framesOut += 1
        return true
    }

    /// Closes a connection that left more than `edge.max_pending_bytes_per_connection` unsent with 4009 and
    /// the advice to reconnect, once; it gets nothing more meanwhile.
    func cutOff(_ connection: EdgeConnection) {
        loop.preconditionInEventLoop()
        guard connection.receivesDeliveries else { return }
        connection.receivesDeliveries = false
        closedSlow += 1
        connection.terminate?(.slowConsumer, CloseCode.slowConsumerReason)
    }

    /// Ends every connection of user `userID` with `code`; returns how many there were.
    func terminate(userID: String, code: CloseCode, reason: String) -> Int {
        loop.preconditionInEventLoop()
        let closing = connections.filter { $0.principal?.userID == userID }
        for connection in closing { connection.terminate?(code, reason) }
        return closing.count
    }

    /// Ends every connection with `code` (shutdown: 1001). Returns when each has closed.
    func closeAll(_ code: CloseCode, reason: String) -> [EventLoopFuture<Void>] {
        let closing = connections
        for connection in closing { connection.terminate?(code, reason) }
        return closing.map { $0.ended.futureResult }
    }
}
