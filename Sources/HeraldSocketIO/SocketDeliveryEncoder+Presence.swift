import HeraldDaemonKit
import HeraldEdge
import HeraldModel
import NIOCore

extension SocketDeliveryEncoder {
    /// `presence:user_online {roomId, userId, user: {id, name, avatar}, timestamp}` and `presence:user_offline
    /// {roomId, userId, timestamp}` — in the room's namespace for connections that joined it there, in `/` for
    /// those that used `room:subscribe`. A `presence-` channel's members hear the same events in `/`, with
    /// `channel` in place of `roomId`.
    public func presenceFrame(_ notice: StageRequests.PresenceNotice, allocator: ByteBufferAllocator) -> ByteBuffer? {
        let room = SocketRooms.namespace(ofChannel: notice.channel).flatMap { SocketRooms.roomID(of: $0) }
        let namespace: SocketNamespace
        switch style {
        case .main: namespace = .main
        case .roomNamespace:
            guard let roomNamespace = SocketRooms.namespace(ofChannel: notice.channel) else { return nil }
            namespace = roomNamespace
        }
        var fields: [SocketValue.Member] = [
            room.map { .init("roomId", .string($0)) } ?? .init("channel", .string(notice.channel))
        ]
        let name: String
        switch notice.change {
        case .added(let member):
            name = "presence:user_online"
            fields.append(.init("userId", .string(member.userID)))
            fields.append(.init("user", .object(SocketIOSession.userFields(member))))
        case .removed(let userID):
            name = "presence:user_offline"
            fields.append(.init("userId", .string(userID)))
        }
        fields.append(.init("timestamp", .string(Clock.rfc3339(milliseconds: notice.time))))
        let argument = SocketValue.object(fields).json
        return ServerFrame.text(allocator: allocator, payloadCapacity: 64 + argument.readableBytes) {
            $0.writeSocketEvent(name: name, arguments: [argument], namespace: namespace)
        }
    }
}
