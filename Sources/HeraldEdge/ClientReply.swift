import HeraldModel

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
    /// `subscribe` / `unsubscribe`: `{"channel": …}`.
    case channel(String)
    /// `ping`: `{"pong": <server time in ms since the epoch>}`.
    case pong(milliseconds: Int64)
    /// `refresh`: `{"expires_at": …}`, the new token's expiry (absent when it has none).
    case refreshed(expiresAt: Int64?)
}
