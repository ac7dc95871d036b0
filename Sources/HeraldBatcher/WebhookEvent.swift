import NIOCore

/// One event of a Pusher-format webhook: what happened (`name`) on which channel, with the fields that kind of
/// event carries. Encoded by hand into the body (`ByteBuffer.writeWebhookBody`), fields in a fixed order and
/// absent ones left out.
public struct WebhookEvent: Sendable, Equatable {
    /// The event kinds Pusher defines, spelled as Pusher spells them.
    public enum Name: String, Sendable, CaseIterable {
        /// The channel's first subscriber anywhere in the cluster arrived.
        case channelOccupied = "channel_occupied"
        /// The channel's last subscriber anywhere in the cluster left.
        case channelVacated = "channel_vacated"
        /// A user became a member of a presence channel (or a room, as `room.{roomId}`).
        case memberAdded = "member_added"
        /// A user stopped being a member of a presence channel or room.
        case memberRemoved = "member_removed"
        /// A client sent a client event on the channel.
        case clientEvent = "client_event"
        /// A user's first connection anywhere.
        case userOnline = "user_online"
        /// A user's last disconnection anywhere.
        case userOffline = "user_offline"
    }

    public var name: Name
    public var channel: String
    /// The user the event is about (members, client events from a signed-in user, online and offline).
    public var userID: String?
    /// A client event's name.
    public var event: String?
    /// A client event's data: one JSON value, written into the body as it is (Pusher sends it as a string).
    public var data: ByteBuffer?
    /// The connection a client event came from.
    public var socketID: String?

    public init(
        name: Name, channel: String, userID: String? = nil, event: String? = nil, data: ByteBuffer? = nil,
        socketID: String? = nil
    ) {
        self.name = name
        self.channel = channel
        self.userID = userID
        self.event = event
        self.data = data
        self.socketID = socketID
    }

    public static func channelOccupied(_ channel: String) -> WebhookEvent {
        WebhookEvent(name: .channelOccupied, channel: channel)
    }

    public static func channelVacated(_ channel: String) -> WebhookEvent {
        WebhookEvent(name: .channelVacated, channel: channel)
    }
}
