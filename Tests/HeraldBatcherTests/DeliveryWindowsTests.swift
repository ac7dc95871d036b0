import HeraldConfig
import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldBatcher

/// The priority windows against a manual clock: milliseconds are passed in, nothing sleeps.
@Suite struct DeliveryWindowsTests {
    static let viewCount = CoalescingRule(event: "forum.thread.*_updated", key: "thread_id")

    func windows(max: Int = 1000, coalescing: [CoalescingRule] = [viewCount]) -> DeliveryWindows {
        DeliveryWindows(
            mediumWindowMilliseconds: 2000, lowWindowMilliseconds: 10_000, maxWindowEvents: max,
            coalescing: coalescing)
    }

    func item(
        _ id: String, on channel: String = "forum", _ priority: Priority = .medium,
        name: String = "forum.comment.created", collapseKey: String? = nil, data: String = "{}"
    ) -> EventOnChannel {
        EventOnChannel(
            channel: channel,
            event: WireEvent(
                id: EventID(uncheckedRawValue: id), name: name, channels: [channel], timestamp: "2025-07-17T10:30:00Z",
                priority: priority, collapseKey: collapseKey, data: ByteBuffer(string: data)))
    }

    /// Each batch as `channel:priority:id,id`.
    func shape(_ output: WindowOutput) -> [String] {
        output.batches.map { batch in
            "\(batch.channel):\(batch.priority.rawValue):"
                + batch.events.map(\.id.rawValue).joined(separator: ",")
        }
    }

    func supersededIDs(_ output: WindowOutput) -> [String] {
        output.superseded.map { "\($0.channel):\($0.event.id.rawValue)" }
    }

    @Test func mediumIsDueExactlyTwoSecondsAfterItsFirstEvent() {
        var windows = windows()
        #expect(windows.add(item("m1"), now: 1000).isEmpty)
        #expect(windows.add(item("m2"), now: 2500).isEmpty)
        #expect(windows.nextDeadline == 3000)
        #expect(windows.due(now: 2999).isEmpty)
        #expect(shape(windows.due(now: 3000)) == ["forum:medium:m1,m2"])
        #expect(windows.heldCount == 0)
        #expect(windows.nextDeadline == nil)
    }

    @Test func lowIsDueExactlyTenSecondsAfterItsFirstEvent() {
        var windows = windows()
        #expect(windows.add(item("l1", .low), now: 0).isEmpty)
        #expect(windows.due(now: 9999).isEmpty)
        #expect(shape(windows.due(now: 10_000)) == ["forum:low:l1"])
    }

    @Test func theNextEventAfterAFlushOpensANewWindow() {
        var windows = windows()
        _ = windows.add(item("m1"), now: 0)
        _ = windows.due(now: 2000)
        _ = windows.add(item("m2"), now: 2100)
        #expect(windows.nextDeadline == 4100)
        #expect(windows.due(now: 4099).isEmpty)
        #expect(shape(windows.due(now: 4100)) == ["forum:medium:m2"])
    }

    @Test func nextDeadlineIsTheEarliestOpenWindow() {
        var windows = windows()
        #expect(windows.nextDeadline == nil)
        _ = windows.add(item("l1", .low), now: 0)
        #expect(windows.nextDeadline == 10_000)
        _ = windows.add(item("m1"), now: 500)
        #expect(windows.nextDeadline == 2500)
        _ = windows.due(now: 2500)
        #expect(windows.nextDeadline == 10_000)
        _ = windows.due(now: 10_000)
        #expect(windows.nextDeadline == nil)
    }

    @Test func windowsDueTogetherFlushEarlierDeadlineFirst() {
        var windows = windows()
        _ = windows.add(item("l1", .low), now: 0)
        _ = windows.add(item("m1"), now: 9000)
        #expect(shape(windows.due(now: 20_000)) == ["forum:low:l1", "forum:medium:m1"])
    }

    @Test func highPassesStraightThrough() {
        var windows = windows()
        _ = windows.add(item("m1"), now: 0)
        #expect(shape(windows.add(item("h1", .high), now: 1)) == ["forum:high:h1"])
        #expect(windows.heldCount == 1)
    }

    @Test func highIsNeverHeldBehindFullWindows() {
        var windows = windows(max: 2)
        _ = windows.add(item("m1"), now: 0)
        _ = windows.add(item("l1", .low), now: 0)
        #expect(shape(windows.add(item("h1", .high), now: 1)) == ["forum:high:h1"])
        #expect(shape(windows.add(item("m2"), now: 2)) == ["forum:medium:m1,m2"])
        #expect(shape(windows.add(item("h2", .high), now: 3)) == ["forum:high:h2"])
        #expect(windows.heldCount == 1)
    }

    @Test func aFullWindowFlushesAtOnceAndTheNextEventOpensANewOne() {
        var windows = windows(max: 3)
        #expect(windows.add(item("m1"), now: 0).isEmpty)
        #expect(windows.add(item("m2"), now: 10).isEmpty)
        #expect(shape(windows.add(item("m3"), now: 20)) == ["forum:medium:m1,m2,m3"])
        #expect(windows.nextDeadline == nil)
        _ = windows.add(item("m4"), now: 30)
        #expect(windows.nextDeadline == 2030)
    }

    @Test func coalescedEventsDoNotCountTowardsTheBound() {
        var windows = windows(max: 2)
        _ = windows.add(item("m1", collapseKey: "k"), now: 0)
        let second = windows.add(item("m2", collapseKey: "k"), now: 1)
        #expect(second.batches.isEmpty)
        #expect(supersededIDs(second) == ["forum:m1"])
        #expect(windows.heldCount == 1)
    }

    @Test func aLateAddFirstFlushesTheWindowThatIsAlreadyDue() {
        var windows = windows()
        _ = windows.add(item("m1"), now: 0)
        let output = windows.add(item("m2"), now: 2500)
        #expect(shape(output) == ["forum:medium:m1"])
        #expect(windows.nextDeadline == 4500)
    }

    @Test func collapseKeyKeepsTheNewestAtTheEnd() {
        var windows = windows()
        _ = windows.add(item("a1", collapseKey: "thread-7"), now: 0)
        _ = windows.add(item("b1"), now: 1)
        let replacing = windows.add(item("a2", collapseKey: "thread-7"), now: 2)
        #expect(supersededIDs(replacing) == ["forum:a1"])
        let final = windows.add(item("a3", collapseKey: "thread-7"), now: 3)
        #expect(supersededIDs(final) == ["forum:a2"])
        let flushed = windows.due(now: 2000)
        #expect(shape(flushed) == ["forum:medium:b1,a3"])
        #expect(flushed.superseded.isEmpty)
    }

    @Test func aRuleCoalescesBySameValueUnderItsKey() {
        var windows = windows()
        let name = "forum.thread.view_count_updated"
        _ = windows.add(item("v1", .low, name: name, data: #"{"thread_id": 7, "views": 10}"#), now: 0)
        _ = windows.add(item("v2", .low, name: name, data: #"{"thread_id":8,"views":3}"#), now: 1)
        let replacing = windows.add(item("v3", .low, name: name, data: #"{"views":11,"thread_id":7}"#), now: 2)
        #expect(supersededIDs(replacing) == ["forum:v1"])
        #expect(shape(windows.due(now: 10_000)) == ["forum:low:v2,v3"])
    }

    @Test func aRuleMatchesDifferentNamesItsPatternCovers() {
        var windows = windows()
        _ = windows.add(item("a", name: "forum.thread.view_count_updated", data: #"{"thread_id":"t1"}"#), now: 0)
        let output = windows.add(
            item("b", name: "forum.thread.reply_count_updated", data: #"{"thread_id":"t1"}"#), now: 1)
        #expect(supersededIDs(output) == ["forum:a"])
    }

    @Test func differentValuesChannelsOrPrioritiesDoNotCoalesce() {
        var windows = windows()
        let name = "forum.thread.view_count_updated"
        _ = windows.add(item("v1", on: "a", name: name, data: #"{"thread_id":1}"#), now: 0)
        #expect(windows.add(item("v2", on: "a", name: name, data: #"{"thread_id":2}"#), now: 0).isEmpty)
        #expect(windows.add(item("v3", on: "b", name: name, data: #"{"thread_id":1}"#), now: 0).isEmpty)
        #expect(windows.add(item("v4", on: "a", Priority.low, name: name, data: #"{"thread_id":1}"#), now: 0).isEmpty)
        #expect(windows.add(item("k1", on: "a", collapseKey: "x"), now: 0).isEmpty)
        #expect(windows.add(item("k2", on: "b", collapseKey: "x"), now: 0).isEmpty)
        #expect(windows.heldCount == 6)
    }

    @Test func rawValuesAreComparedByteForByte() {
        var windows = windows()
        let name = "forum.thread.view_count_updated"
        _ = windows.add(item("v1", name: name, data: #"{"thread_id":1}"#), now: 0)
        #expect(windows.add(item("v2", name: name, data: #"{"thread_id":1.0}"#), now: 0).isEmpty)
        #expect(windows.add(item("v3", name: name, data: #"{"thread_id":"1"}"#), now: 0).isEmpty)
    }

    @Test func eventsWithoutTheKeyOrWithoutAnObjectNeverCoalesce() {
        var windows = windows()
        let name = "forum.thread.view_count_updated"
        for (index, data) in [#"{"views":1}"#, #"{"views":1}"#, "[1]", "[1]", "7", "7", "", ""].enumerated() {
            #expect(windows.add(item("e\(index)", name: name, data: data), now: 0).isEmpty)
        }
        #expect(windows.heldCount == 8)
    }

    @Test func namesNoRuleMatchesDoNotCoalesce() {
        var windows = windows()
        _ = windows.add(item("c1", name: "forum.comment.created", data: #"{"thread_id":1}"#), now: 0)
        #expect(windows.add(item("c2", name: "forum.comment.created", data: #"{"thread_id":1}"#), now: 0).isEmpty)
    }

    @Test func aCollapseKeyTakesPrecedenceOverRules() {
        var windows = windows()
        let name = "forum.thread.view_count_updated"
        _ = windows.add(item("v1", name: name, collapseKey: "one", data: #"{"thread_id":1}"#), now: 0)
        #expect(windows.add(item("v2", name: name, data: #"{"thread_id":1}"#), now: 0).isEmpty)
        #expect(windows.add(item("v3", name: name, collapseKey: "two", data: #"{"thread_id":1}"#), now: 0).isEmpty)
        #expect(supersededIDs(windows.add(item("v4", name: name, collapseKey: "one"), now: 0)) == ["forum:v1"])
    }

    @Test func theFirstMatchingRuleWhoseKeyIsPresentDecides() {
        let rules = [
            CoalescingRule(event: "stats.*", key: "board_id"), CoalescingRule(event: "stats.*", key: "thread_id"),
        ]
        var windows = windows(coalescing: rules)
        _ = windows.add(item("s1", name: "stats.a", data: #"{"thread_id":1,"board_id":9}"#), now: 0)
        // Same thread, other board: the board rule decides, so the two stay apart.
        #expect(windows.add(item("s2", name: "stats.b", data: #"{"thread_id":1,"board_id":8}"#), now: 0).isEmpty)
        // No board: the thread rule decides.
        _ = windows.add(item("s3", name: "stats.c", data: #"{"thread_id":1}"#), now: 0)
        #expect(
            supersededIDs(windows.add(item("s4", name: "stats.d", data: #"{"thread_id":1}"#), now: 0)) == ["forum:s3"])
    }

    @Test func aFlushIsOneBatchPerChannelInFirstArrivalOrder() {
        var windows = windows()
        _ = windows.add(item("b1", on: "b"), now: 0)
        _ = windows.add(item("a1", on: "a"), now: 1)
        _ = windows.add(item("b2", on: "b"), now: 2)
        _ = windows.add(item("c1", on: "c"), now: 3)
        _ = windows.add(item("a2", on: "a"), now: 4)
        #expect(shape(windows.due(now: 2000)) == ["b:medium:b1,b2", "a:medium:a1,a2", "c:medium:c1"])
    }

    /// Medium's deadline (2005) comes before low's (10000), so medium goes first though low opened first.
    @Test func drainFlushesEveryWindowAtOnceEarlierDeadlineFirst() {
        var windows = windows()
        _ = windows.add(item("l1", Priority.low), now: 0)
        _ = windows.add(item("m1", on: "x"), now: 5)
        _ = windows.add(item("m2", on: "y"), now: 6)
        #expect(shape(windows.drain()) == ["x:medium:m1", "y:medium:m2", "forum:low:l1"])
        #expect(windows.heldCount == 0)
        #expect(windows.nextDeadline == nil)
        #expect(windows.drain().isEmpty)
    }

    @Test func manyReplacementsStayBoundedAndKeepOrder() {
        var windows = windows(max: 10)
        var superseded = 0
        for round in 0..<1000 {
            for thread in 0..<3 {
                let output = windows.add(item("t\(thread)r\(round)", collapseKey: "thread-\(thread)"), now: 0)
                #expect(output.batches.isEmpty)
                superseded += output.superseded.count
            }
        }
        #expect(superseded == 2997)
        #expect(windows.heldCount == 3)
        #expect(shape(windows.drain()) == ["forum:medium:t0r999,t1r999,t2r999"])
    }

    @Test func everyEventIsDeliveredOrSupersededExactlyOnce() {
        var windows = windows(max: 7)
        var seen: [String] = []
        var now: Int64 = 0
        for index in 0..<500 {
            now += Int64(index % 13) * 37
            var output = windows.due(now: now)
            let priority: Priority = [.high, .medium, .low][index % 3]
            output.append(
                windows.add(item("e\(index)", on: "c\(index % 4)", priority, collapseKey: "k\(index % 5)"), now: now))
            seen += output.batches.flatMap { $0.events.map(\.id.rawValue) } + output.superseded.map(\.event.id.rawValue)
        }
        let rest = windows.drain()
        seen += rest.batches.flatMap { $0.events.map(\.id.rawValue) }
        #expect(seen.count == 500)
        #expect(Set(seen).count == 500)
    }
}
