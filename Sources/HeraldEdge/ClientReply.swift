import HeraldModel
import NIOCore

/// What the edge tells a client, whatever protocol it speaks; each `ClientProtocol` renders these its own way.
public enum ClientReply: Sendable, Hashable {
    /// The connection is authenticated and has joined its personal channels.
    case connected(connectionID: String, userID: String, channels: [String])
    /// A command succeeded.
    case ack(id: CommandID, result: AckResult)
    /// A command failed.
    case refused(id: CommandID, code: ErrorCode, message: String)
    /// Something that was not a command went wrong (unreadable frame, bad token in the first message).
    case error(code: ErrorCode, message: String)
    /// The connection's token expires at `expiresAt` (seconds since the epoch): refresh it or reconnect.
    case tokenExpiring(expiresAt: Int64)
}

/// The `data` of a successful acknowledgement.
public enum AckResult: Sendable, Hashable {
    /// `unsubscribe` (and a `subscribe` to a channel already joined): `{"channel": …}`.
    case channel(String)
    /// `subscribe`: `{"channel", "epoch", "offset"}`, plus `recovered` (and `reason`) when it asked to recover.
    case subscribed(Subscription)

    /// The channel a subscribe or unsubscribe acknowledgement is about.
    public var channel: String? {
        switch self {
        case .channel(let channel): channel
        case .subscribed(let subscription): subscription.channel
        case .pong, .refreshed, .published, .answer: nil
        }
    }
    /// `ping`: `{"pong": <server time in ms since the epoch>}`.
    case pong(milliseconds: Int64)
    /// `refresh`: `{"expires_at": …}`, the new token's expiry (absent when it has none).
    case refreshed(expiresAt: Int64?)
    /// `publish` of a client event: `{"id": …}`, the event's id.
    case published(EventID)
    /// `publish` of a call (an app's `rpc.events`): the backend's JSON answer, as it came.
    case answer(ByteBuffer)
}

/// A subscription as its acknowledgement describes it.
public struct Subscription: Sendable, Hashable {
    public var channel: String
    /// The channel's position when deliveries began: the last event before them, a resume point for the client.
    public var position: ChannelPosition?
    /// The outcome of the `recover` the subscribe asked for; nil when it asked none.
    public var recovery: RecoveryOutcome?

    public init(channel: String, position: ChannelPosition? = nil, recovery: RecoveryOutcome? = nil) {
        self.channel = channel
        self.position = position
        self.recovery = recovery
    }
}

/// Whether a client's position could be recovered.
public enum RecoveryOutcome: Sendable, Hashable {
    /// Every missed event follows the acknowledgement, in order, before any live one.
    case recovered
    /// Nothing is replayed: the client reloads its state.
    case refused(RecoveryRefusal)
}
