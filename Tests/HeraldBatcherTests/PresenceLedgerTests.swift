import HeraldBatcher
import NIOCore
import Testing

/// Presence across edges on a manual clock: one member per user, joins and leaves exactly once, the grace
/// respected to the millisecond, and a lost edge's users leaving after the grace unless they come back.
@Suite struct PresenceLedgerTests {
    let channel = "presence-thread.7"

    func connection(_ id: String, on edge: String = "edge-a") -> PresenceLedger.Connection {
        PresenceLedger.Connection(edge: edge, id: id)
    }

    func join(_ ledger: inout PresenceLedger, _ user: String, _ id: String, edge: String = "edge-a", at now: Int64)
        -> PresenceLedger.Change?
    {
        ledger.join(
            channel, userID: user, info: ByteBuffer(string: #"{"name":"\#(user)"}"#),
            connection: connection(id, on: edge), now: now)
    }

    @Test func aUserWithSeveralTabsJoinsOnceAndLeavesOnceAfterTheGrace() {
        var ledger = PresenceLedger(graceMilliseconds: 3_000)
        let first = join(&ledger, "u1", "c1", at: 0)
        let second = join(&ledger, "u1", "c2", at: 10)
        #expect(first.map { if case .joined(_, let member) = $0 { member.userID } else { "" } } == "u1")
        #expect(second == nil)
        #expect(ledger.members(of: channel).map(\.userID) == ["u1"])

        ledger.leave(channel, connection: connection("c1"), now: 100)
        #expect(ledger.nextDeadline() == nil, "another tab is still open")
        ledger.leave(channel, connection: connection("c2"), now: 200)
        #expect(ledger.nextDeadline() == 3_200)
        #expect(ledger.due(now: 3_199) == [])
        #expect(ledger.members(of: channel).map(\.userID) == ["u1"], "a member until the grace runs out")
        #expect(ledger.due(now: 3_200) == [.left(channel: channel, userID: "u1")])
        #expect(ledger.due(now: 10_000) == [], "exactly once")
        #expect(ledger.members(of: channel).isEmpty)
        #expect(ledger.channelCount == 0)
    }

    @Test func leavingAgainAfterAReturnStartsANewGrace() {
        var ledger = PresenceLedger(graceMilliseconds: 3_000)
        _ = join(&ledger, "u1", "c1", at: 0)
        _ = join(&ledger, "u2", "c2", at: 0)
        ledger.leave(channel, connection: connection("c1"), now: 1_000)
        _ = join(&ledger, "u1", "c3", at: 2_000)
        ledger.leave(channel, connection: connection("c3"), now: 2_500)
        ledger.leave(channel, connection: connection("c2"), now: 2_600)
        #expect(ledger.nextDeadline() == 5_500, "the cancelled departure at 4_000 no longer counts")
        #expect(ledger.due(now: 5_499) == [])
        #expect(
            ledger.due(now: 5_600) == [.left(channel: channel, userID: "u1"), .left(channel: channel, userID: "u2")])
        #expect(ledger.nextDeadline() == nil)
    }

    @Test func manyDeparturesLeaveInTheOrderTheirGraceBegan() {
        var ledger = PresenceLedger(graceMilliseconds: 1_000)
        for user in 0..<10_000 { _ = join(&ledger, "u\(user)", "c\(user)", at: 0) }
        for user in 0..<10_000 { ledger.leave(channel, connection: connection("c\(user)"), now: Int64(user)) }
        #expect(ledger.nextDeadline() == 1_000)
        #expect(ledger.due(now: 1_004).count == 5)
        #expect(ledger.due(now: 20_000).count == 9_995)
    }

    @Test func aReturnWithinTheGraceIsNeitherALeaveNorASecondJoin() {
        var ledger = PresenceLedger(graceMilliseconds: 3_000)
        _ = join(&ledger, "u1", "c1", at: 0)
        ledger.leave(channel, connection: connection("c1"), now: 1_000)
        #expect(join(&ledger, "u1", "c9", edge: "edge-b", at: 3_999) == nil)
        #expect(ledger.nextDeadline() == nil)
        #expect(ledger.due(now: 60_000) == [])
        #expect(ledger.members(of: channel).map(\.since) == [0], "still the same membership")
    }

    @Test func aLostEdgesUsersLeaveAfterTheGraceUnlessConnectedElsewhere() {
        var ledger = PresenceLedger(graceMilliseconds: 3_000)
        _ = join(&ledger, "u1", "a1", edge: "edge-a", at: 0)
        _ = join(&ledger, "u2", "a2", edge: "edge-a", at: 0)
        _ = join(&ledger, "u2", "b2", edge: "edge-b", at: 0)
        _ = join(&ledger, "u3", "b3", edge: "edge-b", at: 0)

        ledger.edgeLost("edge-a", now: 500)
        #expect(ledger.nextDeadline() == 3_500)
        #expect(ledger.due(now: 3_500) == [.left(channel: channel, userID: "u1")])
        #expect(ledger.members(of: channel).map(\.userID) == ["u2", "u3"])
        ledger.edgeLost("edge-a", now: 4_000)
        #expect(ledger.nextDeadline() == nil, "a second report of the same loss changes nothing")
    }

    @Test func aLostEdgesUserWhoReconnectsElsewhereInTimeStays() {
        var ledger = PresenceLedger(graceMilliseconds: 3_000)
        _ = join(&ledger, "u1", "a1", edge: "edge-a", at: 0)
        ledger.edgeLost("edge-a", now: 100)
        #expect(join(&ledger, "u1", "b1", edge: "edge-b", at: 2_000) == nil)
        #expect(ledger.due(now: 5_000) == [])
        #expect(ledger.members(of: channel).map(\.userID) == ["u1"])
    }

    @Test func departuresComeEarliestFirstAndMembersInOrderOfArrival() {
        var ledger = PresenceLedger(graceMilliseconds: 1_000)
        for (index, user) in ["u3", "u1", "u2"].enumerated() {
            _ = join(&ledger, user, "c-\(user)", at: Int64(index))
        }
        #expect(ledger.members(of: channel).map(\.userID) == ["u3", "u1", "u2"])
        ledger.leave(channel, connection: connection("c-u2"), now: 10)
        ledger.leave(channel, connection: connection("c-u1"), now: 20)
        ledger.leave(channel, connection: connection("c-u3"), now: 20)
        #expect(
            ledger.due(now: 1_020) == [
                .left(channel: channel, userID: "u2"), .left(channel: channel, userID: "u1"),
                .left(channel: channel, userID: "u3"),
            ])
    }

    @Test func withoutAGraceALeaveIsDueAtOnce() {
        var ledger = PresenceLedger(graceMilliseconds: 0)
        _ = join(&ledger, "u1", "c1", at: 0)
        ledger.leave(channel, connection: connection("c1"), now: 50)
        #expect(ledger.due(now: 50) == [.left(channel: channel, userID: "u1")])
    }

    @Test func unknownConnectionsAndChannelsChangeNothing() {
        var ledger = PresenceLedger(graceMilliseconds: 1_000)
        _ = join(&ledger, "u1", "c1", at: 0)
        ledger.leave(channel, connection: connection("nope"), now: 1)
        ledger.leave("presence-other", connection: connection("c1"), now: 1)
        ledger.edgeLost("edge-z", now: 1)
        #expect(ledger.nextDeadline() == nil)
        #expect(ledger.members(of: channel).map(\.userID) == ["u1"])
        #expect(ledger.members(of: "presence-other").isEmpty)
    }
}
