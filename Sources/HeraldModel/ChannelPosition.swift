/// A place in a channel's sequence of events: the `epoch` names one unbroken numbering (it changes when
/// the numbering restarts, e.g. with a new batcher), the `offset` counts events within it. Edges and
/// clients say where they left a channel with one, so the batcher's history can fill the gap.
public struct ChannelPosition: Sendable, Hashable, Codable {
    public var epoch: String
    public var offset: Int64

    public init(epoch: String, offset: Int64) {
        self.epoch = epoch
        self.offset = offset
    }
}
