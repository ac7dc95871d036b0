import HeraldEdge

/// What a subscription command to `SessionCore` was for, so its answer goes back in the right shape.
enum SocketRequest: Sendable, Hashable {
    /// How the client asked, which decides how it is answered.
    enum Style: Sendable, Hashable {
        /// `subscribe` / `unsubscribe {channel}`: `subscribed` / `unsubscribed` events and `{success, channel}`.
        case channel
        /// `join_channel "name"`: an ack `{success}` only.
        case joinChannel
        /// `room:subscribe` / `room:unsubscribe {roomId}`: `room:subscribed` / `room:unsubscribed` and
        /// `{success, room: {id}}`.
        case room(String)
        /// Connecting to (or leaving) a room's namespace: the CONNECT answer, or nothing.
        case namespace
    }

    case subscribe(channel: String, ack: SocketAckID?, namespace: SocketNamespace, style: Style)
    case unsubscribe(channel: String, ack: SocketAckID?, namespace: SocketNamespace, style: Style)
}
