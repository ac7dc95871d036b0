import HeraldDaemonKit
import Testing

@testable import HeraldBatcher

@Suite struct EdgeAnswerMergeTests {
    typealias State = StageRequests.ChannelState

    @Test func countsAddUpAndUsersAreUnitedByID() {
        let first = StageRequests.ChannelStates(channels: [
            "presence-room": State(subscriptionCount: 3, users: ["1", "2"]),
            "orders": State(subscriptionCount: 1),
        ])
        let second = StageRequests.ChannelStates(channels: [
            "presence-room": State(subscriptionCount: 2, users: ["2", "3"]),
            "news": State(subscriptionCount: 5),
        ])
        let merged = EdgeAnswerMerge.channels([first, second])
        #expect(merged.edges == 2)
        #expect(merged.channels["presence-room"] == State(subscriptionCount: 5, users: ["1", "2", "3"]))
        #expect(merged.channels["orders"] == State(subscriptionCount: 1))
        #expect(merged.channels["news"] == State(subscriptionCount: 5))
    }

    @Test func aChannelOnlyOneEdgeHasIsOccupiedAndUsersFromOneEdgeSurvive() {
        let merged = EdgeAnswerMerge.channels([
            StageRequests.ChannelStates(channels: ["presence-a": State(subscriptionCount: 1)]),
            StageRequests.ChannelStates(channels: ["presence-a": State(subscriptionCount: 2, users: ["7"])]),
            StageRequests.ChannelStates(),
        ])
        #expect(merged.channels == ["presence-a": State(subscriptionCount: 3, users: ["7"])])
        #expect(merged.edges == 3)
    }

    @Test func noEdgesMeansNothingIsOccupied() {
        #expect(EdgeAnswerMerge.channels([]) == StageRequests.ChannelStates(channels: [:], edges: 0))
        #expect(EdgeAnswerMerge.terminations([]) == StageRequests.TerminatedConnections(connections: 0, edges: 0))
    }

    @Test func terminationsAddUp() {
        let merged = EdgeAnswerMerge.terminations([.init(connections: 2), .init(connections: 0), .init(connections: 1)])
        #expect(merged == StageRequests.TerminatedConnections(connections: 3, edges: 3))
    }

    @Test func answersAreDecodedAndMergedForTheirMethod() throws {
        let answers = [
            StageRequests.encode(StageRequests.ChannelStates(channels: ["a": State(subscriptionCount: 1)])),
            StageRequests.encode(StageRequests.ChannelStates(channels: ["a": State(subscriptionCount: 2)])),
        ]
        let merged = try BatcherService.merge(answers, for: StageRequests.channelsQuery)
        #expect(String(buffer: merged) == #"{"channels":{"a":{"subscription_count":3}},"edges":2}"#)
        #expect(throws: (any Error).self) { try BatcherService.merge(answers, for: StageRequests.terminateUser) }
    }
}
