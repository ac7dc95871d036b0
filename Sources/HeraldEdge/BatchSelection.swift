/// Some of a batch's events, by index: the part of a batch one connection gets. A value, and allocation-free
/// for batches of up to 64 events.
struct BatchSelection: Hashable, Sendable {
    /// How many events the batch holds.
    let count: Int
    /// Events 0 to 63, one bit each.
    private var low: UInt64 = 0
    /// Events from 64 on, 64 to a word.
    private var high: [UInt64]

    /// None of `count` events.
    init(none count: Int) {
        self.count = count
        high = Array(repeating: 0, count: max(0, (count - 1) / 64))
    }

    /// All of `count` events.
    static func all(_ count: Int) -> BatchSelection {
        var selection = BatchSelection(none: count)
        for index in 0..<count { selection.insert(index) }
        return selection
    }

    mutating func insert(_ index: Int) {
        precondition(index >= 0 && index < count, "event \(index) is not in a batch of \(count)")
        if index < 64 {
            low |= 1 << UInt64(index)
        } else {
            high[(index - 64) / 64] |= 1 << UInt64(index % 64)
        }
    }

    func contains(_ index: Int) -> Bool {
        guard index >= 0 && index < count else { return false }
        if index < 64 { return low & (1 << UInt64(index)) != 0 }
        return high[(index - 64) / 64] & (1 << UInt64(index % 64)) != 0
    }

    mutating func formUnion(_ other: BatchSelection) {
        precondition(count == other.count, "selections of different batches")
        low |= other.low
        for word in high.indices { high[word] |= other.high[word] }
    }

    mutating func formIntersection(_ other: BatchSelection) {
        precondition(count == other.count, "selections of different batches")
        low &= other.low
        for word in high.indices { high[word] &= other.high[word] }
    }

    /// How many events are selected.
    var selectedCount: Int { high.reduce(low.nonzeroBitCount) { $0 + $1.nonzeroBitCount } }

    var isEmpty: Bool { low == 0 && high.allSatisfy { $0 == 0 } }

    var isAll: Bool { selectedCount == count }

    /// The selected events' indices, in order.
    var indices: [Int] { (0..<count).filter(contains) }
}
