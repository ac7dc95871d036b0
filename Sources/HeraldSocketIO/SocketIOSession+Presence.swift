import HeraldDaemonKit
import HeraldEdge
import HeraldModel
import NIOCore

/// Presence in a room: `presence:get_online` answered from the batcher's member list, and how a member is shown
/// (docs/socketio.md, "Presence").
extension SocketIOSession {
    mutating func presenceListed(channel: String, members: [PresenceMember], tag: Int) -> [ConnectionAction] {
        guard let query = presenceQueries.removeValue(forKey: tag) else { return [] }
        let users = members.map { member in
            var fields = Self.userFields(member)
            fields.append(.init("connectedAt", member.since.map { .string(Clock.rfc3339(milliseconds: $0)) } ?? .null))
            return SocketValue.object(fields)
        }
        return acknowledge(
            query.ack, query.namespace,
            .object([
                .init("roomId", .string(query.room)), .init("users", .array(users)), .init("count", .int(users.count)),
            ]))
    }

    /// `{id, name, avatar}`: the member's id and, from its info, its name and avatar (null when it has none).
    static func userFields(_ member: PresenceMember) -> [SocketValue.Member] {
        [
            .init("id", .string(member.userID)),
            .init("name", member.infoString("name").map { .string($0) } ?? .null),
            .init("avatar", member.infoString("avatar").map { .string($0) } ?? .null),
        ]
    }
}
