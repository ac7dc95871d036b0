import HeraldModel
import NIOCore

/// The connections of one event loop and the channels they subscribe to. Only that loop touches it, so the
/// fan-out needs no locks: `ChannelHub` hands each loop its deliveries in one `execute`, the shard writes the
/// shared frames to every admitted connection and flushes each socket once at the end.
final class LoopShard: @unchecked Sendable {
    let loop: any EventLoop
    let index: Int
    /// Each channel's subscribers, with the delivery lane each takes.
    private var subscribers: [String: [EdgeConnection: DeliveryLane]] = [:]
    private(set) var connections: Set<EdgeConnection> = []
    /// Frames written to sockets by this loop.
    private(set) var framesOut = 0

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
    func remove(_ connection: EdgeConnection, from channel: String) -> DeliveryLane? {
        guard var members = subscribers[channel], let lane = members.removeValue(forKey: connection) else {
            return nil
        }
        subscribers[channel] = members.isEmpty ? nil : members
        return lane
    }

    /// Writes each delivery to the subscribers its audience admits, then flushes every socket written to once.
    func deliver(_ batch: [Delivery]) {
        loop.preconditionInEventLoop()
        var touched: [EdgeConnection] = []
        for delivery in batch {
            guard let members = subscribers[delivery.channel] else { continue }
            let everyone = delivery.audience.isEveryone
            for (connection, lane) in members where connection.receivesDeliveries {
                guard let outlet = connection.outlet, let frame = delivery.frames[lane.index] else { continue }
                guard everyone || delivery.audience.admits(connection.principal, socketID: connection.id) else {
                    continue
                }
                if !connection.recovering.isEmpty, connection.recovering[delivery.channel] != nil {
                    connection.recovering[delivery.channel]?.append(delivery)
                    continue
                }
                if !connection.replayedThrough.isEmpty, let replayed = connection.replayedThrough[delivery.channel] {
                    if delivery.wasReplayed(through: replayed) { continue }
                    if delivery.lastPosition != nil { connection.replayedThrough[delivery.channel] = nil }
                }
                outlet.write(frame)
                framesOut += 1
                if !connection.needsFlush {
                    connection.needsFlush = true
                    touched.append(connection)
                }
            }
        }
        for connection in touched {
            connection.needsFlush = false
            connection.outlet?.flush()
        }
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
