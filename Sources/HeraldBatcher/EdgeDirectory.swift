import HeraldDaemonKit

/// Which connected edge has subscribers for which channel, indexed both ways. Confined to the batcher's loop.
struct EdgeDirectory {
    private(set) var channelsByEdge: [StagePeer: Set<String>] = [:]
    private var edgesByChannel: [String: [StagePeer]] = [:]

    var edgeCount: Int { channelsByEdge.count }
    var channelCount: Int { edgesByChannel.count }
    /// Every connected edge, with subscribers or not.
    var connected: [StagePeer] { Array(channelsByEdge.keys) }

    func edges(for channel: String) -> [StagePeer] { edgesByChannel[channel] ?? [] }

    mutating func join(_ edge: StagePeer) {
        channelsByEdge[edge, default: []] = channelsByEdge[edge] ?? []
    }

    /// Returns whether the edge did not follow the channel before.
    @discardableResult
    mutating func add(_ channel: String, for edge: StagePeer) -> Bool {
        guard channelsByEdge[edge, default: []].insert(channel).inserted else { return false }
        edgesByChannel[channel, default: []].append(edge)
        return true
    }

    /// Returns whether the edge followed the channel.
    @discardableResult
    mutating func remove(_ channel: String, for edge: StagePeer) -> Bool {
        guard channelsByEdge[edge]?.remove(channel) != nil else { return false }
        edgesByChannel[channel]?.removeAll { $0 === edge }
        if edgesByChannel[channel]?.isEmpty == true { edgesByChannel.removeValue(forKey: channel) }
        return true
    }

    /// Forgets the edge; returns the channels it followed, in name order.
    @discardableResult
    mutating func leave(_ edge: StagePeer) -> [String] {
        let channels = (channelsByEdge[edge] ?? []).sorted()
        for channel in channels { remove(channel, for: edge) }
        channelsByEdge.removeValue(forKey: edge)
        return channels
    }
}
