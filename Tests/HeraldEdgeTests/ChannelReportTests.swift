import HeraldDaemonKit
import Testing

@testable import HeraldEdge

@Suite struct ChannelReportTests {
    private func edge() -> (ChannelTable, PresenceRoster) {
        var table = ChannelTable()
        var roster = PresenceRoster()
        _ = table.join("orders", loop: 0)
        _ = table.join("orders", loop: 1)
        _ = table.join("presence-room", loop: 0)
        _ = table.join("presence-room", loop: 1)
        _ = table.join("presence-room", loop: 1)
        _ = roster.join("presence-room", member: PresenceMember(userID: "2"), connection: "c1")
        _ = roster.join("presence-room", member: PresenceMember(userID: "1"), connection: "c2")
        _ = roster.join("presence-room", member: PresenceMember(userID: "2"), connection: "c3")
        return (table, roster)
    }

    @Test func everyOccupiedChannelWithItsSubscriptions() {
        let (table, roster) = edge()
        let answer = ChannelReport.answer(StageRequests.ChannelsQuery(), table: table, roster: roster)
        #expect(
            answer.channels == ["orders": .init(subscriptionCount: 2), "presence-room": .init(subscriptionCount: 3)])
    }

    @Test func usersOnlyWhenAskedAndOnlyWherePresent() {
        let (table, roster) = edge()
        let answer = ChannelReport.answer(.init(prefix: "presence-", users: true), table: table, roster: roster)
        #expect(answer.channels == ["presence-room": .init(subscriptionCount: 3, users: ["1", "2"])])
        let orders = ChannelReport.answer(.init(channel: "orders", users: true), table: table, roster: roster)
        #expect(orders.channels == ["orders": .init(subscriptionCount: 2)])
    }

    @Test func anUnoccupiedChannelIsLeftOut() {
        let (table, roster) = edge()
        #expect(ChannelReport.answer(.init(channel: "nobody"), table: table, roster: roster).channels.isEmpty)
        #expect(ChannelReport.answer(.init(prefix: "private-"), table: table, roster: roster).channels.isEmpty)
    }
}
