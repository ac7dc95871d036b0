import Testing

@testable import HeraldBatcher

/// Occupancy across edges with a manual clock: first follower in, last out, and the grace for a lost edge.
@Suite struct ChannelOccupancyTests {
    @Test func theFirstFollowerOccupiesAndTheLastVacates() {
        var occupancy = ChannelOccupancy(graceMilliseconds: 3_000)
        #expect(occupancy.followed("a") == .occupied("a"))
        #expect(occupancy.followed("a") == nil, "a second edge")
        #expect(occupancy.unfollowed("a", lost: false, now: 0) == nil)
        #expect(occupancy.unfollowed("a", lost: false, now: 0) == .vacated("a"))
        #expect(occupancy.unfollowed("a", lost: false, now: 0) == nil, "never twice")
        #expect(occupancy.followed("a") == .occupied("a"))
    }

    @Test func aLostEdgesChannelsAreVacatedAfterTheGrace() {
        var occupancy = ChannelOccupancy(graceMilliseconds: 3_000)
        _ = occupancy.followed("a")
        _ = occupancy.followed("b")
        _ = occupancy.followed("b")
        #expect(occupancy.unfollowed("a", lost: true, now: 1_000) == nil)
        #expect(occupancy.unfollowed("b", lost: true, now: 1_000) == nil, "another edge still follows b")
        #expect(occupancy.nextDeadline() == 4_000)
        #expect(occupancy.due(now: 3_999).isEmpty)
        #expect(occupancy.isOccupied("a"))
        #expect(occupancy.due(now: 4_000) == [.vacated("a")])
        #expect(occupancy.nextDeadline() == nil)
        #expect(occupancy.isOccupied("b"))
    }

    @Test func aChannelFollowedAgainWithinTheGraceIsNeitherVacatedNorOccupiedAgain() {
        var occupancy = ChannelOccupancy(graceMilliseconds: 3_000)
        _ = occupancy.followed("a")
        _ = occupancy.unfollowed("a", lost: true, now: 0)
        #expect(occupancy.followed("a") == nil)
        #expect(occupancy.due(now: 10_000).isEmpty)
        #expect(occupancy.unfollowed("a", lost: false, now: 10_000) == .vacated("a"))
    }

    @Test func withoutAGraceALostEdgeVacatesAtOnce() {
        var occupancy = ChannelOccupancy(graceMilliseconds: 0)
        _ = occupancy.followed("a")
        #expect(occupancy.unfollowed("a", lost: true, now: 0) == .vacated("a"))
    }
}
