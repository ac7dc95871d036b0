/// Where a client left a channel: the `epoch` and last `offset` it received there, sent with `subscribe` so
/// that history can fill the gap.
public struct RecoveryPoint: Sendable, Hashable {
    public var epoch: String
    public var offset: Int64

    public init(epoch: String, offset: Int64) {
        self.epoch = epoch
        self.offset = offset
    }
}
