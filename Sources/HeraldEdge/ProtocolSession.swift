import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

/// One connection's protocol state machine: reads the client's messages, keeps what the protocol needs, and
/// returns `ConnectionAction`s. Pure: the time comes in as a value, and every outcome of an action comes back
/// as an input. Implementations keep a `SessionCore` for what all protocols share.
public protocol ProtocolSession: Sendable {
    /// True once the session has ended the connection (or seen it end); nothing more is sent.
    var isClosed: Bool { get }
    /// When `tick(now:)` must next run.
    var nextWakeup: NIODeadline { get }

    /// The first actions, once the transport can send.
    mutating func start(now: SessionInstant) -> [ConnectionAction]
    /// One text message from the client (a WebSocket message, or one packet of a long-polling body).
    mutating func receive(text: ByteBuffer, now: SessionInstant) -> [ConnectionAction]
    /// A binary message.
    mutating func receiveBinary(now: SessionInstant) -> [ConnectionAction]
    /// Any sign of life from the client below the protocol (a WebSocket pong or ping).
    mutating func heard(now: SessionInstant)
    /// The authorizer's answer to `authorizeConnect`.
    mutating func connectVerdict(_ verdict: Result<Principal, WireFailure>, now: SessionInstant) -> [ConnectionAction]
    /// The authorizer's answer to `authorizeSubscribe`.
    mutating func subscribeVerdict(channel: String, _ verdict: Result<Void, WireFailure>) -> [ConnectionAction]
    /// The fan-out now delivers `channel` to this connection (the answer to `join`), from `position` on; with
    /// `recovery`, the outcome of the recovery the join asked for.
    mutating func joined(channel: String, position: ChannelPosition?, recovery: RecoveryOutcome?) -> [ConnectionAction]
    /// The join could not be completed as asked (its recovery got no answer): refuse the subscribe.
    mutating func joinFailed(channel: String, code: ErrorCode, message: String) -> [ConnectionAction]
    /// The members of a presence channel, once this connection is one of them (the answer to `presenceJoin`).
    mutating func presenceJoined(channel: String, members: [PresenceMember]) -> [ConnectionAction]
    /// Whether the pipeline took a client event published with `ticket` (the authorizer may refuse it: the user's
    /// `limits.client_events_per_minute` across connections, or a channel's or the global limit).
    mutating func published(ticket: Int, _ outcome: Result<Void, WireFailure>) -> [ConnectionAction]
    /// The members `listPresence` asked for, with its `tag`.
    mutating func presenceListed(channel: String, members: [PresenceMember], tag: Int) -> [ConnectionAction]
    /// Timers: heartbeats and deadlines.
    mutating func tick(now: SessionInstant) -> [ConnectionAction]
    /// The client started the WebSocket closing handshake.
    mutating func closeReceived(code: UInt16?) -> [ConnectionAction]
    /// The edge ends the connection (shutdown, oversize message, slow consumer, protocol error).
    mutating func terminate(_ code: CloseCode, reason: String) -> [ConnectionAction]
    /// The connection is gone: leave every channel. Returns nothing the second time.
    mutating func released() -> [ConnectionAction]
    /// The outcome of `restoreSession`.
    mutating func restored(_ restoration: SessionRestoration) -> [ConnectionAction]
    /// The outcome of `call`: the backend's JSON answer, or why there is none (UNAVAILABLE, INTERNAL).
    mutating func called(ticket: Int, _ answer: Result<ByteBuffer, WireFailure>) -> [ConnectionAction]
}

extension ProtocolSession {
    /// The outcome of `restoreSession`; protocols that never ask for one ignore it.
    public mutating func restored(_ restoration: SessionRestoration) -> [ConnectionAction] { [] }

    /// Protocols that never call a backend ignore the answer.
    public mutating func called(ticket: Int, _ answer: Result<ByteBuffer, WireFailure>) -> [ConnectionAction] { [] }

    /// Protocols without presence lists ignore the answer.
    public mutating func presenceJoined(channel: String, members: [PresenceMember]) -> [ConnectionAction] { [] }
    public mutating func published(ticket: Int, _ outcome: Result<Void, WireFailure>) -> [ConnectionAction] { [] }
    public mutating func presenceListed(channel: String, members: [PresenceMember], tag: Int) -> [ConnectionAction] {
        []
    }
}
