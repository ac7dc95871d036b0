import Foundation
import NIOCore
import Testing

@testable import HeraldBatcher

/// The per-URL webhook queue with a manual clock: batching, the retry schedule, the same bytes on every attempt,
/// giving up, the bound, and order.
@Suite struct WebhookQueueTests {
    static func occupied(_ channel: String) -> WebhookEvent { .channelOccupied(channel) }

    static func body(_ post: WebhookQueue.Post?) throws -> (time: Int64, channels: [String], names: [String]) {
        let post = try #require(post)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(post.batch.body.readableBytesView)) as? [String: Any])
        let events = try #require(object["events"] as? [[String: Any]])
        return (
            try #require((object["time_ms"] as? NSNumber)?.int64Value), events.compactMap { $0["channel"] as? String },
            events.compactMap { $0["name"] as? String }
        )
    }

    @Test func eventsOfOneWindowGoInOneBatchSealedWhenTheWindowEnds() throws {
        var queue = WebhookQueue()
        queue.enqueue([Self.occupied("a")], now: 1_000)
        queue.enqueue([Self.occupied("b"), .channelVacated("c")], now: 1_040)
        let step1 = queue.due(now: 1_099)
        #expect(step1 == nil)
        #expect(queue.nextDeadline == 1_100)
        let body = try Self.body(queue.due(now: 1_100))
        #expect(body.time == 1_100)
        #expect(body.channels == ["a", "b", "c"])
        #expect(body.names == ["channel_occupied", "channel_occupied", "channel_vacated"])
        #expect(queue.openEvents == 0)
    }

    @Test func aFullBatchIsSealedAtOnce() throws {
        var queue = WebhookQueue(policy: WebhookQueue.Policy(batchEvents: 2))
        queue.enqueue([Self.occupied("a"), Self.occupied("b"), Self.occupied("c")], now: 0)
        let step2 = queue.due(now: 0)
        #expect(try Self.body(step2).channels == ["a", "b"])
        #expect(queue.openEvents == 1)
    }

    @Test func theBodyIsExactlyThePusherShape() throws {
        var queue = WebhookQueue()
        queue.enqueue(
            [
                WebhookEvent(
                    name: .clientEvent, channel: "private-x", userID: "7", event: "client-typing",
                    data: ByteBuffer(string: #"{"a":"b\"c"}"#), socketID: "1.2"),
                .channelOccupied("q\"uote"),
            ], now: 5)
        let due = queue.due(now: 105)
        let post = try #require(due)
        #expect(
            String(buffer: post.batch.body)
                == #"{"time_ms":105,"events":[{"name":"client_event","channel":"private-x","user_id":"7","#
                + #""event":"client-typing","data":{"a":"b\"c"},"socket_id":"1.2"},"#
                + #"{"name":"channel_occupied","channel":"q\"uote"}]}"#)
    }

    @Test func aFailedPostIsRetriedOnScheduleWithTheSameBodyThenGivenUpAfterFiveAttempts() throws {
        var queue = WebhookQueue()
        queue.enqueue([Self.occupied("a")], now: 0)
        let due = queue.due(now: 100)
        let first = try #require(due)
        #expect(first.attempt == 1)
        var now: Int64 = 100
        var retryTimes: [Int64] = []
        for attempt in 2...5 {
            let outcome = queue.postFinished(.failed("HTTP 500"), now: now)
            guard case .willRetry(_, let next, let at) = outcome else {
                Issue.record("expected a retry, got \(String(describing: outcome))")
                return
            }
            #expect(next == attempt)
            retryTimes.append(at - now)
            let step3 = queue.due(now: at - 1)
            #expect(step3 == nil, "not before its time")
            #expect(queue.nextDeadline == at)
            now = at
            let due = queue.due(now: now)
            let again = try #require(due)
            #expect(again.attempt == attempt)
            #expect(again.batch == first.batch, "the same bytes, so the same time_ms and signature")
        }
        #expect(retryTimes == [1_000, 4_000, 10_000, 30_000])
        let step4 = queue.postFinished(.failed("timed out"), now: now)
        #expect(step4 == .gaveUp(first.batch, attempts: 5))
        let step5 = queue.due(now: now + 100_000)
        #expect(step5 == nil)
        #expect(queue.counters.abandonedEvents == 1)
        #expect(queue.counters.abandonedBatches == 1)
        #expect(queue.counters.failedPosts == 5)
        #expect(queue.counters.posts == 5)
    }

    @Test func aDeliveredBatchIsNeverSentAgain() throws {
        var queue = WebhookQueue()
        queue.enqueue([Self.occupied("a")], now: 0)
        let due = queue.due(now: 100)
        let post = try #require(due)
        let step6 = queue.postFinished(.delivered, now: 150)
        #expect(step6 == .delivered(post.batch, attempts: 1))
        let step7 = queue.due(now: 1_000_000)
        #expect(step7 == nil)
        #expect(queue.nextDeadline == nil)
        #expect(queue.counters.deliveredEvents == 1)
        let step8 = queue.postFinished(.delivered, now: 200)
        #expect(step8 == nil, "nothing in flight")
    }

    @Test func batchesGoOneAtATimeInOrderEvenAcrossRetries() throws {
        var queue = WebhookQueue()
        queue.enqueue([Self.occupied("1")], now: 0)
        let due = queue.due(now: 100)
        let first = try #require(due)
        queue.enqueue([Self.occupied("2")], now: 150)
        let step9 = queue.due(now: 250)
        #expect(step9 == nil, "batch 2 waits while batch 1 is in flight")
        #expect(queue.waitingBatches == 2)
        guard case .willRetry(_, _, let at) = queue.postFinished(.failed("HTTP 503"), now: 300) else {
            Issue.record("expected a retry")
            return
        }
        let step10 = queue.due(now: 301)
        #expect(step10 == nil, "batch 2 does not overtake batch 1 while it waits to be retried")
        let retried = queue.due(now: at)
        #expect(retried?.batch == first.batch)
        _ = queue.postFinished(.delivered, now: at + 10)
        let step11 = queue.due(now: at + 10)
        #expect(try Self.body(step11).channels == ["2"])
    }

    @Test func aFullQueueDropsNewBatchesAndCountsThem() throws {
        var queue = WebhookQueue(policy: WebhookQueue.Policy(batchEvents: 1, capacity: 2))
        queue.enqueue([Self.occupied("1"), Self.occupied("2"), Self.occupied("3")], now: 0)
        queue.enqueue([Self.occupied("4")], now: 0)
        #expect(queue.waitingBatches == 2)
        #expect(queue.counters.overflowBatches == 2)
        #expect(queue.counters.overflowEvents == 2)
        _ = queue.due(now: 0)
        _ = queue.postFinished(.delivered, now: 0)
        queue.enqueue([Self.occupied("5")], now: 0)
        let step12 = queue.due(now: 0)
        #expect(try Self.body(step12).channels == ["2"])
        _ = queue.postFinished(.delivered, now: 0)
        let step13 = queue.due(now: 0)
        #expect(try Self.body(step13).channels == ["5"], "room again once a batch left")
    }

    @Test func aGivenUpBatchLetsTheNextGo() throws {
        var queue = WebhookQueue(policy: WebhookQueue.Policy(retryDelaysMilliseconds: [10]))
        queue.enqueue([Self.occupied("1")], now: 0)
        _ = queue.due(now: 100)
        queue.enqueue([Self.occupied("2")], now: 100)
        _ = queue.postFinished(.failed("refused"), now: 100)
        _ = queue.due(now: 110)
        let outcome = queue.postFinished(.failed("refused"), now: 120)
        #expect(outcome.map { if case .gaveUp = $0 { true } else { false } } == true)
        let step14 = queue.due(now: 200)
        #expect(try Self.body(step14).channels == ["2"])
    }
}
