import Synchronization

/// A clock whose sleeps return at once (after yielding) and are recorded, so a timer loop can be driven
/// through many rounds without waiting and its requested delays asserted.
struct RecordingClock: Clock {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: self.offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - self.offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    final class Record: Sendable {
        let now = Mutex(Instant(offset: .zero))
        let sleeps = Mutex<[Duration]>([])
    }

    let record = Record()

    var now: Instant { self.record.now.withLock { $0 } }
    var minimumResolution: Duration { .zero }
    var sleeps: [Duration] { self.record.sleeps.withLock { $0 } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        await Task.yield()
        try Task.checkCancellation()
        let requested = self.record.now.withLock { now in
            defer { now = max(now, deadline) }
            return now.duration(to: deadline)
        }
        self.record.sleeps.withLock { $0.append(requested) }
    }
}
