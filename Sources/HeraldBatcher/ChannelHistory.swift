import DequeModule
import HeraldModel
import NIOCore

/// One channel's numbering and history in an engine epoch, as a pure value: the last offset handed out, the
/// events still kept (each as its encoded event object) and how far the history has been cut, so a recovery
/// either replays every event after a client's position or says why it cannot.
struct ChannelHistory {
    struct Entry {
        var offset: Int64
        var sequence: Int64
        /// When the event was numbered, in milliseconds (the engine's clock).
        var storedAt: Int64
        /// The event's JSON object, as the edges received it.
        var object: ByteBuffer
    }

    /// Where a client says it stands.
    enum Cursor: Hashable {
        /// The channel offset of the last event it received.
        case offset(Int64)
        /// The engine sequence of the last event it received on any channel.
        case sequence(Int64)
    }

    /// How much the channel keeps: events and milliseconds.
    let keeps: Int
    let maximumAge: Int64

    init(keeps: Int, maximumAge: Int64) {
        self.keeps = keeps
        self.maximumAge = maximumAge
    }

    /// The offset of the channel's newest event; 0 before the first.
    private(set) var lastOffset: Int64 = 0
    private(set) var entries: Deque<Entry> = []
    /// The offset and sequence of the newest event that left the history; 0 while none has.
    private(set) var droppedOffset: Int64 = 0
    private(set) var droppedSequence: Int64 = 0

    /// The offset the next event gets.
    var nextOffset: Int64 { lastOffset + 1 }

    /// Keeps a numbered event (its offset must be `nextOffset`).
    mutating func append(_ entry: Entry) {
        precondition(entry.offset == nextOffset, "offsets are gap-free")
        lastOffset = entry.offset
        entries.append(entry)
    }

    /// Drops the oldest events until at most `keeps` remain (at least `floor`, a new epoch's warm-up) and none
    /// is older than `maximumAge` at `now`.
    mutating func trim(now: Int64, floor: Int = 0) {
        let count = max(keeps, floor)
        while let first = entries.first, entries.count > count || now - first.storedAt > maximumAge {
            droppedOffset = first.offset
            droppedSequence = first.sequence
            entries.removeFirst()
        }
    }

    /// What a recovery from a cursor gets.
    enum Replay {
        /// Every event after the cursor, oldest first.
        case events(ArraySlice<Entry>)
        /// Why they cannot all be given.
        case refused(RecoveryRefusal)
    }

    /// The events after `cursor`, or why they cannot all be given: the channel never reached the position
    /// (`positionInvalid`), or an event after it has left the history (`positionExpired`). `lastSequence` is
    /// the engine's newest sequence, on any channel.
    func replay(after cursor: Cursor, lastSequence: Int64) -> Replay {
        switch cursor {
        case .offset(let offset):
            guard offset >= 0, offset <= lastOffset else { return .refused(.positionInvalid) }
            guard offset >= droppedOffset else { return .refused(.positionExpired) }
            return .events(entries.suffix(while: { $0.offset > offset }))
        case .sequence(let sequence):
            guard sequence >= 0, sequence <= lastSequence else { return .refused(.positionInvalid) }
            guard sequence >= droppedSequence else { return .refused(.positionExpired) }
            return .events(entries.suffix(while: { $0.sequence > sequence }))
        }
    }
}

extension Deque {
    /// The longest run at the end whose elements all satisfy `predicate`, as an array slice.
    fileprivate func suffix(while predicate: (Element) -> Bool) -> ArraySlice<Element> {
        var start = endIndex
        while start > startIndex, predicate(self[index(before: start)]) { start = index(before: start) }
        return ArraySlice(self[start...])
    }
}
