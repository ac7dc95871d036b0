/// A channel an edge now has subscribers for, with the last position it saw there, if any.
public struct InterestEntry: Sendable, Hashable {
    public var channel: String
    /// The channel epoch of the last event the edge received on it; with `offset`, lets the batcher replay
    /// what the edge missed.
    public var epoch: String?
    /// The offset of the last event the edge received on the channel.
    public var offset: Int64?

    public init(channel: String, epoch: String? = nil, offset: Int64? = nil) {
        self.channel = channel
        self.epoch = epoch
        self.offset = offset
    }
}
