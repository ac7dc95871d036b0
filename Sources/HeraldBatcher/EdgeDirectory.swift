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

    mutating func add(_ channel: String, for edge: StagePeer) {
        guard channelsByEdge[edge, default: []].insert(channel).inserted else { return }
        edgesByChannel[channel, default: []].append(edge)
    }

    mutating func remove(_ channel: String, for edge: StagePeer) {
        guard channelsByEdge[edge]?.remove(channel) != nil else { return }
        edgesByChannel[channel]?.removeAll { $0 === edge }
        if edgesByChannel[channel]?.isEmpty == true { edgesByChannel.removeValue(forKey: channel) }
    }

    mutating func leave(_ edge: StagePeer) {
        for channel in channelsByEdge[edge] ?? [] { remove(channel, for: edge) }
        channelsByEdge.removeValue(forKey: edge)
    }
}
