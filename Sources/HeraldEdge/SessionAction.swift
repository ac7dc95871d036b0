import HeraldModel
import NIOCore

/// What a `SessionCore` asks for, in protocol-neutral terms; a protocol's session renders the replies its own
/// way and passes the rest on as `ConnectionAction`s. Outcomes of the asynchronous ones come back as inputs.
public enum SessionAction: Sendable, Hashable {
    /// Write this reply to the client.
    case send(ClientReply)
    /// Ask the authorizer about a token (while open: a refreshed one); answer with `connectVerdict(_:now:)`.
    case authorizeConnect(token: String)
    /// Ask the authorizer whether the principal may subscribe; answer with `subscribeVerdict(channel:_:)`.
    case authorizeSubscribe(channel: String, token: String? = nil)
    /// The connection is authenticated as this principal: count it and let deliveries reach it.
    case opened(Principal)
    /// A refreshed token replaced the principal (same user): deliveries and revocations follow the new one.
    case principalChanged(Principal)
    /// Add the connection to the channel's subscribers; answer with `joined(channel:position:recovery:)` once
    /// deliveries flow. With `recover`, first replay what the client missed after that position.
    case join(channel: String, recover: ChannelPosition? = nil)
    /// Remove the connection from the channel's subscribers.
    case leave(channel: String)
    /// Send a heartbeat: a WebSocket ping, or the protocol's own ping message.
    case ping
    /// Send a close frame with this code and reason, then close the connection.
    case close(CloseCode, reason: String)
}
