/// Sent by an edge to the batcher when the set of channels its clients subscribe to changes, so the batcher
/// delivers only what the edge can use.
public struct Interest: Sendable, Hashable {
    /// Channels that gained their first subscriber on the edge.
    public var add: [InterestEntry]
    /// Channels that lost their last subscriber on the edge.
    public var remove: [String]

    public init(add: [InterestEntry] = [], remove: [String] = []) {
        self.add = add
        self.remove = remove
    }
}
