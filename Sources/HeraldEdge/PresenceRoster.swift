/// Who is present on each presence channel of this edge: members keyed by user, each with the connections
/// that hold it there, so a user with several tabs is one member, arrives with its first connection and
/// leaves with its last. A pure value, owned by `ChannelHub` on its loop.
///
/// It knows this edge's connections only: with several edges, each tells its own subscribers about its own
/// members (docs/architecture.md names this limit).
public struct PresenceRoster: Sendable {
    private struct Entry: Sendable {
        var member: PresenceMember
        var connections: Set<String>
    }

    /// Members per channel, in order of arrival.
    private var channels: [String: [String: Entry]] = [:]
    private var order: [String: [String]] = [:]

    public init() {}

    /// Adds `connection` as `member` on `channel`. Returns the members after the join, and the change to tell
    /// the others when this is the user's first connection there.
    public mutating func join(
        _ channel: String, member: PresenceMember, connection: String
    ) -> (members: [PresenceMember], change: PresenceChange?) {
        var entries = channels[channel] ?? [:]
        var change: PresenceChange?
        if var entry = entries[member.userID] {
            entry.connections.insert(connection)
            entries[member.userID] = entry
        } else {
            entries[member.userID] = Entry(member: member, connections: [connection])
            order[channel, default: []].append(member.userID)
            change = .added(member)
        }
        channels[channel] = entries
        return (members(of: channel), change)
    }

    /// Removes `connection` from `channel`. Returns the change to tell the others when it was its user's last
    /// connection there.
    public mutating func leave(_ channel: String, connection: String) -> PresenceChange? {
        guard var entries = channels[channel],
            let userID = entries.first(where: { $0.value.connections.contains(connection) })?.key,
            var entry = entries[userID]
        else { return nil }
        entry.connections.remove(connection)
        guard entry.connections.isEmpty else {
            entries[userID] = entry
            channels[channel] = entries
            return nil
        }
        entries[userID] = nil
        order[channel]?.removeAll { $0 == userID }
        channels[channel] = entries.isEmpty ? nil : entries
        if entries.isEmpty { order[channel] = nil }
        return .removed(userID: userID)
    }

    /// The channel's members in order of arrival.
    public func members(of channel: String) -> [PresenceMember] {
        guard let entries = channels[channel] else { return [] }
        return (order[channel] ?? []).compactMap { entries[$0]?.member }
    }
}
