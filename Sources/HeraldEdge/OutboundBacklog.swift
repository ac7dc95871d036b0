/// How full a connection's outbound buffer is: the bytes written to it that the client has not taken yet,
/// against its limit (`edge.max_pending_bytes_per_connection`).
///
/// A connection past half its limit is behind: it still gets what matters, but not what a later event makes
/// stale (low priority, or a collapse key), so it can catch up. Past the limit it is closed as a slow consumer
/// (4009) and told to reconnect, which recovers what it missed from history. One connection's backlog never
/// holds back any other's: each is judged and cut off on its own.
public enum OutboundBacklog: Sendable, Hashable {
    /// At most half the limit waits.
    case clear
    /// More than half the limit waits: low-priority and coalescible deliveries are dropped for it.
    case behind
    /// More than the limit waits: the connection is closed as a slow consumer.
    case over

    public init(pendingBytes: Int, limit: Int) {
        if pendingBytes > limit {
            self = .over
        } else if pendingBytes > limit / 2 {
            self = .behind
        } else {
            self = .clear
        }
    }
}
