/// What the delivery windows hand back on each input: the batches to send now and the events that will never
/// be sent because a newer one replaced them.
public struct WindowOutput: Sendable, Hashable {
    /// Batches to deliver, in order. A flushed window yields one batch per channel, channels in the order
    /// their first surviving event arrived.
    public var batches: [ChannelBatch]
    /// Events removed from a window by a newer event with the same coalescing key. Each is reported exactly
    /// once, and none of them appears in any batch; the batcher settles them upstream as delivered.
    public var superseded: [EventOnChannel]

    public init(batches: [ChannelBatch] = [], superseded: [EventOnChannel] = []) {
        self.batches = batches
        self.superseded = superseded
    }

    /// Nothing to send and nothing to settle.
    public var isEmpty: Bool { batches.isEmpty && superseded.isEmpty }

    /// Appends another output after this one.
    public mutating func append(_ other: WindowOutput) {
        batches.append(contentsOf: other.batches)
        superseded.append(contentsOf: other.superseded)
    }
}
