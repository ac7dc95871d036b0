import DequeModule
import NIOCore

/// One webhook URL's deliveries, as a pure state machine (time passed in, in milliseconds since the epoch).
///
/// Events gather in an open batch until it is `batchWindowMilliseconds` old or holds `batchEvents`; it is then
/// sealed into the exact body every attempt sends (`time_ms` is the sealing time). Sealed batches wait in order,
/// at most `capacity` of them; a batch sealed while the queue is full is dropped and counted, never waited for.
/// Only the oldest batch is ever posted, and only one POST is in flight, so a URL hears its events in the order
/// they were generated. A failed POST is tried again after the next of `retryDelaysMilliseconds`; after
/// `maximumAttempts` failures the batch is dropped and counted, and the next one goes.
struct WebhookQueue {
    struct Policy: Sendable {
        var batchWindowMilliseconds: Int64 = 100
        var batchEvents = 100
        var capacity = 1000
        /// The waits before the second, third, … attempt; one attempt more than there are delays.
        var retryDelaysMilliseconds: [Int64] = [1000, 4000, 10_000, 30_000]
        var maximumAttempts: Int { retryDelaysMilliseconds.count + 1 }
    }

    /// A sealed batch: the body every attempt sends, unchanged.
    struct Batch: Equatable, Sendable {
        var number: Int
        var body: ByteBuffer
        var eventCount: Int
    }

    /// A POST to make now.
    struct Post: Equatable, Sendable {
        var batch: Batch
        /// 1 for the first attempt.
        var attempt: Int
    }

    enum PostResult: Equatable, Sendable {
        case delivered
        /// Why, for the log: `HTTP 500`, `timed out`, `connection refused`.
        case failed(String)
    }

    /// What became of the batch a POST carried.
    enum Outcome: Equatable, Sendable {
        case delivered(Batch, attempts: Int)
        case willRetry(Batch, attempt: Int, at: Int64)
        case gaveUp(Batch, attempts: Int)
    }

    struct Counters: Equatable, Sendable {
        var posts = 0
        var failedPosts = 0
        var deliveredBatches = 0
        var deliveredEvents = 0
        /// Batches dropped after their last failed attempt.
        var abandonedBatches = 0
        var abandonedEvents = 0
        /// Batches dropped because the queue was full.
        var overflowBatches = 0
        var overflowEvents = 0
    }

    let policy: Policy
    private(set) var counters = Counters()
    private var open: [WebhookEvent] = []
    private var openedAt: Int64 = 0
    /// Sealed batches, oldest first; the first is the one in flight or waiting to be retried.
    private var sealed: Deque<Batch> = []
    private var attempts = 0
    private var inFlight = false
    private var retryAt: Int64?
    private var nextNumber = 1

    init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Sealed batches waiting, the one in flight included.
    var waitingBatches: Int { sealed.count }
    /// Events not sealed into a batch yet.
    var openEvents: Int { open.count }

    /// Adds events to the open batch; sealing the batches that fill up.
    mutating func enqueue(_ events: [WebhookEvent], now: Int64) {
        guard !events.isEmpty else { return }
        if open.isEmpty { openedAt = now }
        open.append(contentsOf: events)
        while open.count >= policy.batchEvents {
            seal(Array(open.prefix(policy.batchEvents)), now: now)
            open.removeFirst(policy.batchEvents)
            openedAt = now
        }
    }

    /// Seals the open batch when its window has passed, and returns the POST to make now, if any: the oldest
    /// batch, when nothing is in flight and its retry time (if it failed before) has come.
    mutating func due(now: Int64) -> Post? {
        if !open.isEmpty, now >= openedAt + policy.batchWindowMilliseconds {
            seal(open, now: now)
            open = []
        }
        guard !inFlight, let head = sealed.first else { return nil }
        if let retryAt, now < retryAt { return nil }
        inFlight = true
        retryAt = nil
        attempts += 1
        counters.posts += 1
        return Post(batch: head, attempt: attempts)
    }

    /// The POST `due` returned has finished.
    mutating func postFinished(_ result: PostResult, now: Int64) -> Outcome? {
        guard inFlight, let head = sealed.first else { return nil }
        inFlight = false
        switch result {
        case .delivered:
            let made = attempts
            dropHead()
            counters.deliveredBatches += 1
            counters.deliveredEvents += head.eventCount
            return .delivered(head, attempts: made)
        case .failed:
            counters.failedPosts += 1
            guard attempts < policy.maximumAttempts else {
                let made = attempts
                dropHead()
                counters.abandonedBatches += 1
                counters.abandonedEvents += head.eventCount
                return .gaveUp(head, attempts: made)
            }
            let at = now + policy.retryDelaysMilliseconds[attempts - 1]
            retryAt = at
            return .willRetry(head, attempt: attempts + 1, at: at)
        }
    }

    /// When `due` next has something to do: the open batch's sealing or the oldest batch's retry. `nil` while
    /// only a POST in flight is pending, or nothing is; a time in the past means now.
    var nextDeadline: Int64? {
        var deadline: Int64?
        if !open.isEmpty { deadline = openedAt + policy.batchWindowMilliseconds }
        if !inFlight, !sealed.isEmpty {
            let ready = retryAt ?? Int64.min
            deadline = min(deadline ?? ready, ready)
        }
        return deadline
    }

    private mutating func seal(_ events: [WebhookEvent], now: Int64) {
        guard sealed.count < policy.capacity else {
            counters.overflowBatches += 1
            counters.overflowEvents += events.count
            return
        }
        var body = ByteBuffer()
        body.writeWebhookBody(timeMilliseconds: now, events: events)
        sealed.append(Batch(number: nextNumber, body: body, eventCount: events.count))
        nextNumber += 1
    }

    private mutating func dropHead() {
        sealed.removeFirst()
        attempts = 0
        retryAt = nil
    }
}
