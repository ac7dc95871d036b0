import HeraldModel

/// One priority's batching window: the events held since it opened, in arrival order, at most one per
/// coalescing key.
///
/// A replaced event leaves a tombstone in its slot so holding stays O(1); the slots are compacted once
/// tombstones outnumber the live events, which keeps that amortized O(1) and the memory bounded.
struct PriorityWindow: Sendable {
    /// A held event and the key it was filed under.
    private struct Slot: Sendable {
        var item: EventOnChannel
        var key: CoalescingKey?
    }

    let priority: Priority
    /// Milliseconds from opening to being due.
    let length: Int64
    /// When the first event now held arrived; `nil` while the window holds nothing.
    private(set) var openedAt: Int64?
    /// Live events, tombstones not counted.
    private(set) var count = 0
    private var slots: [Slot?] = []
    private var slotByKey: [CoalescingKey: Int] = [:]

    init(priority: Priority, length: Int64) {
        self.priority = priority
        self.length = length
    }

    /// When the window must be flushed; `nil` while it holds nothing.
    var deadline: Int64? { openedAt.map { $0 + length } }

    /// Holds `item` at the end, opening the window at `now` if it held nothing, and returns the held event
    /// with the same key that it replaces.
    mutating func hold(_ item: EventOnChannel, key: CoalescingKey?, now: Int64) -> EventOnChannel? {
        if openedAt == nil { openedAt = now }
        var replaced: EventOnChannel?
        if let key {
            if let old = slotByKey[key] {
                replaced = slots[old]?.item
                slots[old] = nil
                count -= 1
            }
            slotByKey[key] = slots.count
        }
        slots.append(Slot(item: item, key: key))
        count += 1
        if slots.count >= 64, slots.count > 2 * count { compact() }
        return replaced
    }

    /// Empties the window: one batch per channel, channels in the order of their first held event, events in
    /// arrival order.
    mutating func flush() -> [ChannelBatch] {
        var batches: [ChannelBatch] = []
        var batchByChannel: [String: Int] = [:]
        for case let slot? in slots {
            if let index = batchByChannel[slot.item.channel] {
                batches[index].events.append(slot.item.event)
            } else {
                batchByChannel[slot.item.channel] = batches.count
                batches.append(ChannelBatch(channel: slot.item.channel, priority: priority, events: [slot.item.event]))
            }
        }
        openedAt = nil
        count = 0
        slots.removeAll(keepingCapacity: true)
        slotByKey.removeAll(keepingCapacity: true)
        return batches
    }

    /// Drops the tombstones and files the keys under their new slots.
    private mutating func compact() {
        slots.removeAll { $0 == nil }
        for (index, slot) in slots.enumerated() {
            if let key = slot?.key { slotByKey[key] = index }
        }
    }
}
