/// Why a client's position in a channel could not be recovered: it must reload its state instead, because
/// replaying from the position would leave a gap.
public enum RecoveryRefusal: String, Sendable, Hashable, Codable, CaseIterable {
    /// The channel's history was lost (the batcher restarted) since the client's position was handed out.
    case epochChanged = "epoch_changed"
    /// Events after the position have left the history (`batcher.history_events` / `history_seconds`).
    case positionExpired = "position_expired"
    /// The channel never reached the position.
    case positionInvalid = "position_invalid"
}
