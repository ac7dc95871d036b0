import HeraldModel
import NIOCore

/// What a `NativeSession` asks its connection handler to do. The handler performs actions in order and feeds
/// the outcomes of the asynchronous ones back as new inputs.
public enum SessionAction: Sendable, Hashable {
    /// Write this reply to the client.
    case send(ClientReply)
    /// Ask the authorizer about a token; answer with `connectVerdict(_:now:)`.
    case authorizeConnect(token: String)
    /// Ask the authorizer whether the principal may subscribe; answer with `subscribeVerdict(channel:_:)`.
    case authorizeSubscribe(channel: String)
    /// The connection is authenticated as this principal: count it and let deliveries reach it.
    case opened(Principal)
    /// Add the connection to the channel's subscribers; answer with `joined(channel:)` once deliveries flow.
    case join(channel: String)
    /// Remove the connection from the channel's subscribers.
    case leave(channel: String)
    /// Send a WebSocket ping.
    case ping
    /// Answer a client's ping with this payload.
    case pong(ByteBuffer)
    /// Send a close frame with this code and reason, then close the connection.
    case close(CloseCode, reason: String)
}
