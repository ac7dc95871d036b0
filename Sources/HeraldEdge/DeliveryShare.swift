import HeraldModel
import HeraldWire

/// What one connection gets of a delivery: all of it, part of a batch, or nothing; decided from who the
/// connection is (each event's audience) and how far behind it is (`OutboundBacklog`). A pure decision, so the
/// fan-out only performs it.
struct DeliveryShare: Sendable, Hashable {
    enum Portion: Sendable, Hashable {
        /// The delivery's shared frames.
        case whole
        /// Some of a batch's events, encoded together (`BatchParts.frames(for:lane:)`).
        case part(BatchSelection)
        case nothing
    }

    var portion: Portion
    /// Events the connection's audience admits but that are left out because it is behind (`dropped_slow`).
    var dropped = 0

    static let whole = DeliveryShare(portion: .whole)
    static let nothing = DeliveryShare(portion: .nothing)
}

extension WireEvent {
    /// Whether a connection that is behind may go without the event: it is low priority, or it carries a
    /// collapse key, so a later event with the same key supersedes it.
    var isDroppable: Bool { priority == .low || collapseKey != nil }
}

extension Delivery {
    /// Whether a connection that is behind may lose some of this delivery; when not, its backlog need not be
    /// read. Presence notices are never dropped.
    var mayDrop: Bool {
        if let parts { return !parts.essential.isAll }
        return events.contains { $0.isDroppable }
    }

    /// What a connection of `principal` with id `socketID` gets, with `backlog` waiting unsent. A connection
    /// that is over its limit gets nothing: it is being closed.
    func share(for principal: Principal?, socketID: String, backlog: OutboundBacklog) -> DeliveryShare {
        if backlog == .over { return .nothing }
        guard let parts else {
            guard audience.isEveryone || audience.admits(principal, socketID: socketID) else { return .nothing }
            if backlog == .behind, mayDrop { return DeliveryShare(portion: .nothing, dropped: events.count) }
            return .whole
        }
        var selection = parts.admitted(principal, socketID: socketID)
        var dropped = 0
        if backlog == .behind {
            let admitted = selection.selectedCount
            selection.formIntersection(parts.essential)
            dropped = admitted - selection.selectedCount
        }
        if selection.isEmpty { return DeliveryShare(portion: .nothing, dropped: dropped) }
        if selection.isAll { return DeliveryShare(portion: .whole, dropped: dropped) }
        return DeliveryShare(portion: .part(selection), dropped: dropped)
    }
}
