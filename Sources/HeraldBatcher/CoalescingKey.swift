import NIOCore

/// What makes two held events the same update, so that a window keeps only the later one: the channel, and
/// either the publisher's `collapse_key` or a coalescing rule with the value its key names in `data`.
struct CoalescingKey: Hashable, Sendable {
    /// Why two events on one channel replace each other.
    enum Subject: Hashable, Sendable {
        /// Both carry this `collapse_key`.
        case collapseKey(String)
        /// Both are decided by the coalescing rule at `rule` (its index in `events.coalescing`), and their
        /// `data` carries the same raw JSON `value` under that rule's key.
        case rule(Int, value: ByteBuffer)
    }

    var channel: String
    var subject: Subject
}
