import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

/// What a protocol's session asks the edge to do for its connection. `ConnectionDriver` performs the actions in
/// order and feeds the outcomes of the asynchronous ones back to the session.
public enum ConnectionAction: Sendable, Hashable {
    /// Send this complete WebSocket text frame (`ServerFrame.text`); a long-polling transport sends its payload.
    case write(ByteBuffer)
    /// Ask the authorizer about a token; answer with `connectVerdict`.
    case authorizeConnect(token: String)
    /// Ask the authorizer whether `principal` may subscribe; answer with `subscribeVerdict`.
    case authorizeSubscribe(Principal, channel: String, token: String? = nil)
    /// The connection is open: count it and let deliveries reach it, filtered by `principal` (nil: anonymous).
    case opened(Principal?)
    /// A refreshed token replaced the principal (same user): filter deliveries and revocations by it.
    case principalChanged(Principal)
    /// Add the connection to the channel's subscribers on `lane`; answer with `joined(channel:position:recovery:)`
    /// once deliveries flow. With `recover`, the events the client missed after that position are replayed
    /// first (`recover` on the batcher), between the acknowledgement and any live delivery.
    case join(channel: String, lane: DeliveryLane, recover: ChannelPosition? = nil)
    /// Remove the connection from the channel's subscribers.
    case leave(channel: String)
    /// Publish a client's event through the pipeline, like one from ingress.
    case publish(WireEvent, ticket: Int? = nil)
    /// Update the edge's typing timers: a `.typing.started` (re)arms its typist's automatic `.typing.stopped`,
    /// a `.typing.stopped` from the client disarms it.
    case typing(TypingUpdate)
    /// Ask the authorizer to call the app's backend (`client-rpc`), waiting at most a little longer than
    /// `timeout`, the time the backend has; answer with `called(ticket:_:)`.
    case call(StageRequests.ClientRPC, timeout: Duration, ticket: Int)
    /// Make the connection a member of a presence channel it has joined; answer with `presenceJoined`.
    case presenceJoin(channel: String, member: PresenceMember)
    /// The connection is no longer a member of the presence channel (leaving the channel, or closing, does this
    /// too).
    case presenceLeave(channel: String)
    /// Ask for the presence channel's members across all edges; answer with `presenceListed(channel:members:tag:)`,
    /// passing `tag` back.
    case listPresence(channel: String, tag: Int)
    /// Keep what a recoverable session has joined with the batcher, so it can be restored after a reconnect
    /// (to this edge or another, or after this edge restarted).
    case saveSession(StageRequests.SessionSave)
    /// Restore a saved session for the connection's principal: rejoin its channels on `lane` and replay what the
    /// client missed after `cursor`; answer with `restored(_:)`.
    case restoreSession(SessionRestore)
    /// Send a WebSocket ping (protocols with heartbeats of their own send them as messages instead).
    case ping
    /// End the connection: a close frame with this code and reason on WebSocket, the end of the session on
    /// long-polling.
    case close(CloseCode, reason: String)
}

extension Principal {
    /// Who an anonymous connection subscribes as: a user id no channel names, and no roles.
    public static let anonymous = Principal(userID: "")
}
