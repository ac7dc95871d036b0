import OrderedCollections

/// Hook answers kept for a while, at most `capacity` of them; the least recently used goes first when full.
/// Pure: callers pass the time. Subscription answers are keyed by `HookCacheKey`, room answers by `RoomQuestion`.
struct HookAnswerCache<Key: Hashable, Answer> {
    private struct Entry {
        let answer: Answer
        let expires: ContinuousClock.Instant
    }

    let capacity: Int
    let lifetime: Duration
    private var entries: OrderedDictionary<Key, Entry> = [:]

    init(capacity: Int, lifetime: Duration) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    var count: Int { entries.count }

    /// The answer stored for `key` if it has not expired; a hit becomes the most recently used.
    mutating func lookup(_ key: Key, now: ContinuousClock.Instant) -> Answer? {
        guard let entry = entries.removeValue(forKey: key) else { return nil }
        guard now < entry.expires else { return nil }
        entries[key] = entry
        return entry.answer
    }

    mutating func store(_ answer: Answer, for key: Key, now: ContinuousClock.Instant) {
        guard capacity > 0, lifetime > .zero else { return }
        entries.removeValue(forKey: key)
        entries[key] = Entry(answer: answer, expires: now + lifetime)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }
}
