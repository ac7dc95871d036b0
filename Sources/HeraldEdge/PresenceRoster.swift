import HeraldDaemonKit
import OrderedCollections

/// The presence memberships this edge's connections hold, per channel and user: what the edge restates to the
/// batcher after every connect, and the users it reports for a channel (`channels-query`). Who is present across
/// all edges — and when someone arrives or leaves — is the batcher's to say (`presence-join`, `presence-change`);
/// this is the edge's own share of it. A pure value, owned by `ChannelHub` on its loop.
public struct PresenceRoster: Sendable {
    private struct Entry: Sendable {
        var member: PresenceMember
        var connections: Set<String>
    }

    /// Members per channel, in order of arrival here.
    private var channels: [String: OrderedDictionary<String, Entry>] = [:]
    /// Whose each connection is, per channel: a leave finds its member without a scan.
    private var owners: [Seat: String] = [:]

    private struct Seat: Sendable, Hashable {
        var channel: String
        var connection: String
    }

    public init() {}

    /// Adds `connection` as `member` on `channel`; returns false when it already was.
    @discardableResult
    public mutating func join(_ channel: String, member: PresenceMember, connection: String) -> Bool {
        let seat = Seat(channel: channel, connection: connection)
        guard owners[seat] == nil else { return false }
        owners[seat] = member.userID
        if channels[channel]?[member.userID] != nil {
            channels[channel]?[member.userID]?.connections.insert(connection)
        } else {
            channels[channel, default: [:]][member.userID] = Entry(member: member, connections: [connection])
        }
        return true
    }

    /// Removes `connection` from `channel`; returns false when it held no seat there.
    @discardableResult
    public mutating func leave(_ channel: String, connection: String) -> Bool {
        guard let userID = owners.removeValue(forKey: Seat(channel: channel, connection: connection)) else {
            return false
        }
        channels[channel]?[userID]?.connections.remove(connection)
        if channels[channel]?[userID]?.connections.isEmpty == true { channels[channel]?.removeValue(forKey: userID) }
        if channels[channel]?.isEmpty == true { channels[channel] = nil }
        return true
    }

    /// The members with a connection on this edge, in order of arrival here.
    public func members(of channel: String) -> [PresenceMember] {
        channels[channel]?.values.map(\.member) ?? []
    }

    /// Every membership, one per connection and channel: the `presence-restate` after a (re)connect.
    public var seats: [StageRequests.PresenceSeat] {
        channels.flatMap { channel, entries in
            entries.values.flatMap { entry in
                entry.connections.sorted().map {
                    StageRequests.PresenceSeat(channel: channel, connection: $0, member: entry.member)
                }
            }
        }
    }
}
