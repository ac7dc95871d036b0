import HeraldDaemonKit
import HeraldModel

/// The edge's channels: how many subscriptions each event loop holds on each channel, and the last position
/// (epoch and offset) the edge saw there. A pure value, owned by `ChannelHub` on the batcher link's loop.
///
/// It decides what the batcher must hear: a channel's first subscription on the edge adds it to the edge's
/// interest, the last one removes it, and after a reconnect `restatement()` says everything again with the
/// positions, so the batcher replays what the edge missed while it was away.
public struct ChannelTable: Sendable {

    struct Entry: Sendable {
        /// Subscriptions per event loop index; loops with none are removed.
        var loops: [Int: Int] = [:]
        /// Subscriptions per delivery lane; lanes with none are removed.
        var lanes: [DeliveryLane: Int] = [:]
        var total = 0
        var position: ChannelPosition?
    }

    private var entries: [String: Entry] = [:]

    public init() {}

    /// Channels with at least one subscription.
    public var channelCount: Int { entries.count }

    /// Subscriptions across all channels and loops.
    public var subscriptionCount: Int { entries.values.reduce(0) { $0 + $1.total } }

    /// The subscribed channels, sorted.
    public var channels: [String] { entries.keys.sorted() }

    /// Counts one more subscription to `channel` on `loop`. Returns the interest to send when it is the
    /// channel's first on this edge.
    public mutating func join(
        _ channel: String, loop: Int, lane: DeliveryLane = DeliveryLane(0)
    ) -> StageRequests.InterestChange? {
        var entry = entries[channel] ?? Entry()
        entry.loops[loop, default: 0] += 1
        entry.lanes[lane, default: 0] += 1
        entry.total += 1
        entries[channel] = entry
        guard entry.total == 1 else { return nil }
        return StageRequests.InterestChange(add: [StageRequests.InterestChange.Entry(channel: channel)])
    }

    /// Counts one subscription fewer. Returns the interest to send when it was the channel's last, which also
    /// forgets the channel's position (the edge no longer follows it).
    public mutating func leave(
        _ channel: String, loop: Int, lane: DeliveryLane = DeliveryLane(0)
    ) -> StageRequests.InterestChange? {
        guard var entry = entries[channel], let count = entry.loops[loop] else { return nil }
        entry.loops[loop] = count > 1 ? count - 1 : nil
        if let onLane = entry.lanes[lane] { entry.lanes[lane] = onLane > 1 ? onLane - 1 : nil }
        entry.total -= 1
        guard entry.total == 0 else {
            entries[channel] = entry
            return nil
        }
        entries[channel] = nil
        return StageRequests.InterestChange(remove: [channel])
    }

    /// The loops that hold subscriptions to `channel`.
    public func loops(subscribedTo channel: String) -> Dictionary<Int, Int>.Keys? {
        entries[channel]?.loops.keys
    }

    /// The delivery lanes `channel`'s subscriptions take: each delivery is encoded once for each of them.
    public func lanes(of channel: String) -> Dictionary<DeliveryLane, Int>.Keys? {
        entries[channel]?.lanes.keys
    }

    /// Subscriptions to `channel` on every loop; 0 when it has none.
    public func subscriptionCount(of channel: String) -> Int {
        entries[channel]?.total ?? 0
    }

    /// Subscriptions to `channel` on `loop`.
    public func subscriptions(to channel: String, loop: Int) -> Int {
        entries[channel]?.loops[loop] ?? 0
    }

    public func position(of channel: String) -> ChannelPosition? {
        entries[channel]?.position
    }

    /// Takes the positions the batcher reported for channels it was asked to add. Channels that lost their
    /// subscribers meanwhile are ignored.
    public mutating func record(_ positions: [String: ChannelPosition]) {
        for (channel, position) in positions where entries[channel] != nil {
            entries[channel]?.position = position
        }
    }

    /// Moves a channel's position to a delivered event's, unless the edge already saw a later one in the same
    /// epoch. Returns false when the edge has no subscribers for the channel.
    @discardableResult
    public mutating func advance(_ channel: String, epoch: String?, offset: Int64?) -> Bool {
        guard let entry = entries[channel] else { return false }
        guard let epoch, let offset else { return true }
        if let current = entry.position, current.epoch == epoch, current.offset >= offset { return true }
        entries[channel]?.position = ChannelPosition(epoch: epoch, offset: offset)
        return true
    }

    /// Everything the edge follows, for the batcher after a (re)connect: `reset` first, then each channel with
    /// its last known position (the epoch is left out when it is unknown, so nothing is replayed for it).
    /// `nil` when the edge follows nothing.
    public func restatement() -> StageRequests.InterestChange? {
        guard !entries.isEmpty else { return nil }
        let add = entries.keys.sorted().map { channel in
            let position = entries[channel]?.position
            return StageRequests.InterestChange.Entry(
                channel: channel, epoch: position?.epoch, offset: position?.offset)
        }
        return StageRequests.InterestChange(reset: true, add: add)
    }
}
