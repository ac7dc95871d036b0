import HeraldModel
import HeraldWire
import NIOCore
import Synchronization

/// What a batch delivery needs beyond its shared frames when some connections get only part of it: its events
/// are for different audiences, or some are dropped for connections that are behind while others are not.
///
/// Each distinct part is encoded once per lane, by the first connection that needs it on whichever loop, and
/// shared with every other connection that gets the same part. Made once per batch, never for a batch whose
/// events all go to the same connections.
final class BatchParts: Sendable {
    /// The batch's distinct audiences, in order of first appearance.
    let audiences: [Audience]
    /// For each of `audiences`, the events addressed to it.
    let eventsByAudience: [BatchSelection]
    /// The events a connection that is behind still gets: neither low priority nor coalescible.
    let essential: BatchSelection
    private let events: [WireEvent]
    private let encoders: [any DeliveryEncoder]
    private let allocator: ByteBufferAllocator
    private let encoded = Mutex<[Part: ByteBuffer]>([:])

    /// One part of the batch as one lane encodes it.
    private struct Part: Hashable {
        var selection: BatchSelection
        var lane: DeliveryLane
    }

    /// The parts of `events`, or nil when every connection gets all of them or none (one audience, and all
    /// events droppable or none).
    static func of(_ events: [WireEvent], encoders: [any DeliveryEncoder], allocator: ByteBufferAllocator)
        -> BatchParts?
    {
        let parts = BatchParts(events: events, encoders: encoders, allocator: allocator)
        guard parts.audiences.count > 1 || !(parts.essential.isEmpty || parts.essential.isAll) else { return nil }
        return parts
    }

    private init(events: [WireEvent], encoders: [any DeliveryEncoder], allocator: ByteBufferAllocator) {
        var audiences: [Audience] = []
        var positions: [Audience: Int] = [:]
        var eventsByAudience: [BatchSelection] = []
        var essential = BatchSelection(none: events.count)
        for (index, event) in events.enumerated() {
            let position: Int
            if let known = positions[event.audience] {
                position = known
            } else {
                position = audiences.count
                positions[event.audience] = position
                audiences.append(event.audience)
                eventsByAudience.append(BatchSelection(none: events.count))
            }
            eventsByAudience[position].insert(index)
            if !event.isDroppable { essential.insert(index) }
        }
        self.audiences = audiences
        self.eventsByAudience = eventsByAudience
        self.essential = essential
        self.events = events
        self.encoders = encoders
        self.allocator = allocator
    }

    /// The events whose audience admits a connection of `principal` with id `socketID`.
    func admitted(_ principal: Principal?, socketID: String) -> BatchSelection {
        var selection = BatchSelection(none: events.count)
        for (audience, members) in zip(audiences, eventsByAudience)
        where audience.isEveryone || audience.admits(principal, socketID: socketID) {
            selection.formUnion(members)
        }
        return selection
    }

    /// The buffer of the events in `selection`, as `lane` encodes a batch: made by the first connection that
    /// needs it and shared with every later one. Encoding happens outside the lock; when two loops race, the
    /// first stored buffer wins and the other is discarded.
    func frames(for selection: BatchSelection, lane: DeliveryLane) -> ByteBuffer {
        let part = Part(selection: selection, lane: lane)
        if let known = encoded.withLock({ $0[part] }) { return known }
        let made = encoders[lane.index].frames(for: selection.indices.map { events[$0] }, allocator: allocator)
        return encoded.withLock { encoded in
            if let known = encoded[part] { return known }
            encoded[part] = made
            return made
        }
    }
}
