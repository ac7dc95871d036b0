import HeraldModel

/// What a client asked for, whatever protocol it speaks: each protocol's session turns its packets into these,
/// and `SessionCore` decides what to do with them.
public enum ClientCommand: Sendable, Hashable {
    /// Presents a token after connecting (the native protocol's first message, when the URL had none).
    case authenticate(token: String)
    /// `token` is a subscription token the client presented for this channel, passed on to the authorizer.
    case subscribe(id: CommandID, channel: String, recover: ChannelPosition?, token: String? = nil)
    /// Subscribes without asking the authorizer: the protocol has checked the right itself (a Pusher
    /// `private-` or `presence-` subscription signed with the app's secret).
    case join(id: CommandID, channel: String)
    case unsubscribe(id: CommandID, channel: String)
    /// Replaces the connection's token with a newer one for the same user before it expires.
    case refresh(id: CommandID, token: String)
    case ping(id: CommandID)
    /// Asks for a presence channel's members (the native `presence` command); a protocol that offers it answers
    /// it itself, `SessionCore` refuses it as unsupported.
    case presence(id: CommandID, channel: String)
    /// A client event; decided by the protocol's session (`ClientEventGate`), not by the core, once open.
    case publish(id: CommandID, ClientEventRequest)
    /// A well-formed command this protocol does not offer (yet); refused with `INVALID_PAYLOAD`.
    case unsupported(id: CommandID, type: String)
    /// A command whose fields are wrong; refused with its `id` so the client can match the refusal.
    case invalid(id: CommandID, message: String)
    /// Something that is not a command at all (not JSON, no `type`, no `id`); answered with an `error` frame.
    case malformed(message: String)
}
