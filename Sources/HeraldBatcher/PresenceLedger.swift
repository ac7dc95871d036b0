import DequeModule
import NIOCore
import OrderedCollections

/// Who is present on each presence channel, across every edge the batcher serves: the state behind the engine
/// seam that makes presence right for the whole deployment rather than for one edge.
///
/// Members are keyed by user: however many connections (tabs, devices, edges) a user has on a channel, it is one
/// member. A user's first connection joins at once; when its last connection goes, the user stays a member for
/// `grace` milliseconds and leaves only if nothing brought it back by then, so a quick reconnect produces neither
/// a leave nor a second join. An edge that is lost (its link closed without saying goodbye, as after a
/// `kill -9`) loses all its connections at once, and its users leave after the same grace unless they reconnect
/// elsewhere.
///
/// A pure state machine: time is monotonic milliseconds passed in by the owner, which arms a timer for
/// `nextDeadline()` and calls `due(now:)` when it fires; departures are only ever reported by `due(now:)`.
///
/// Every operation costs the same however many members are leaving: departures wait in a queue in the order their
/// grace began, which is the order it ends (one grace for all), and one that a return cancelled is skipped when it
/// reaches the front.
public struct PresenceLedger: Sendable {
    /// One user on one channel, as the other members are told about it.
    public struct Member: Sendable, Hashable {
        public var userID: String
        /// The raw bytes of a JSON value describing the user (the token's `name`/`info`, or the hook's `info`).
        public var info: ByteBuffer?
        /// When the user's first connection joined (monotonic milliseconds).
        public var since: Int64

        public init(userID: String, info: ByteBuffer? = nil, since: Int64) {
            self.userID = userID
            self.info = info
            self.since = since
        }
    }

    /// One client connection as the batcher knows it: the edge instance that holds it and its id there.
    public struct Connection: Sendable, Hashable {
        public var edge: String
        public var id: String

        public init(edge: String, id: String) {
            self.edge = edge
            self.id = id
        }
    }

    /// What the channel's subscribers are told.
    public enum Change: Sendable, Hashable {
        case joined(channel: String, member: Member)
        case left(channel: String, userID: String)
    }

    private struct Presence: Sendable {
        var member: Member
        var connections: Set<Connection>
        /// When the user leaves unless a connection comes back; nil while it has connections.
        var leavesAt: Int64?
    }

    /// A user on a channel.
    private struct Seat: Sendable, Hashable {
        var channel: String
        var userID: String
    }

    /// A connection on a channel.
    private struct Subscription: Sendable, Hashable {
        var channel: String
        var connection: Connection
    }

    /// How long a user with no connection left stays a member.
    public let grace: Int64
    /// Per channel, its members in order of arrival.
    private var channels: [String: OrderedDictionary<String, Presence>] = [:]
    /// Whose each connection is, per channel: a leave finds its member without a scan.
    private var owners: [Subscription: String] = [:]
    /// Departures in the order they fall due; an entry whose member came back (or left and came back again since)
    /// no longer matches its `leavesAt` and is skipped.
    private var leaving: Deque<(at: Int64, seat: Seat)> = []

    public init(graceMilliseconds: Int64) {
        grace = max(0, graceMilliseconds)
    }

    /// Channels with at least one member.
    public var channelCount: Int { channels.count }

    /// The earliest time a member is due to leave; nil when nobody is leaving. Drops cancelled departures it
    /// finds at the front of the queue.
    public mutating func nextDeadline() -> Int64? {
        while let first = leaving.first {
            if isDue(first) { return first.at }
            leaving.removeFirst()
        }
        return nil
    }

    /// Whether a queued departure still stands: its member is still waiting to leave at that time.
    private func isDue(_ entry: (at: Int64, seat: Seat)) -> Bool {
        channels[entry.seat.channel]?[entry.seat.userID]?.leavesAt == entry.at
    }

    /// The channel's members in order of arrival, those within their grace included (they have not left yet).
    public func members(of channel: String) -> [Member] {
        channels[channel]?.values.map(\.member) ?? []
    }

    /// A connection of the user `userID` subscribed to `channel`. Returns `.joined` when it is the user's first
    /// connection there; nil when the user was already a member, including one coming back within its grace.
    public mutating func join(_ channel: String, userID: String, info: ByteBuffer?, connection: Connection, now: Int64)
        -> Change?
    {
        owners[Subscription(channel: channel, connection: connection)] = userID
        if channels[channel]?[userID] != nil {
            channels[channel]?[userID]?.connections.insert(connection)
            channels[channel]?[userID]?.leavesAt = nil
            return nil
        }
        let member = Member(userID: userID, info: info, since: now)
        channels[channel, default: [:]][userID] = Presence(member: member, connections: [connection], leavesAt: nil)
        return .joined(channel: channel, member: member)
    }

    /// A connection left `channel` (unsubscribed or closed). When it was its user's last connection there, the
    /// user leaves `grace` later unless one comes back; `due(now:)` reports it.
    public mutating func leave(_ channel: String, connection: Connection, now: Int64) {
        guard let userID = owners.removeValue(forKey: Subscription(channel: channel, connection: connection)) else {
            return
        }
        channels[channel]?[userID]?.connections.remove(connection)
        guard channels[channel]?[userID]?.connections.isEmpty == true else { return }
        channels[channel]?[userID]?.leavesAt = now + grace
        leaving.append((now + grace, Seat(channel: channel, userID: userID)))
    }

    /// The edge is gone without closing its connections one by one (its link dropped, the process died): every
    /// connection it held is treated as closed at `now`.
    public mutating func edgeLost(_ edge: String, now: Int64) {
        let lost = owners.keys.filter { $0.connection.edge == edge }
        for subscription in lost { leave(subscription.channel, connection: subscription.connection, now: now) }
    }

    /// Members whose grace ran out by `now` leave, in the order their grace began.
    public mutating func due(now: Int64) -> [Change] {
        var departures: [Change] = []
        while let first = leaving.first, first.at <= now {
            leaving.removeFirst()
            guard isDue(first) else { continue }
            let seat = first.seat
            channels[seat.channel]?.removeValue(forKey: seat.userID)
            if channels[seat.channel]?.isEmpty == true { channels[seat.channel] = nil }
            departures.append(.left(channel: seat.channel, userID: seat.userID))
        }
        return departures
    }
}
