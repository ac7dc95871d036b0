import DequeModule
import HeraldModel

/// A bounded memory of event ids already seen, so receivers can drop duplicates that a sender resent
/// after a reconnect. The oldest id is forgotten first once `capacity` is reached.
public struct RecentEventIDs: Sendable {
    public let capacity: Int
    private var order: Deque<EventID> = []
    private var members: Set<EventID> = []

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        members.reserveCapacity(capacity)
    }

    public var count: Int { members.count }

    public func contains(_ id: EventID) -> Bool { members.contains(id) }

    /// Remembers `id`; returns false when it was already known (a duplicate).
    public mutating func insert(_ id: EventID) -> Bool {
        guard members.insert(id).inserted else { return false }
        order.append(id)
        if order.count > capacity, let oldest = order.popFirst() { members.remove(oldest) }
        return true
    }
}
