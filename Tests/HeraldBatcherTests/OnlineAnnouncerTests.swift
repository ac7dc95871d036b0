import HeraldConfig
import Testing

@testable import HeraldBatcher

@Suite struct OnlineAnnouncerTests {
    @Test func aUserOfTheRoleIsAnnouncedOnceEachWay() {
        var announcer = OnlineAnnouncer(rules: [.customers])
        let online = announcer.arrived("7", roles: ["customer"])
        #expect(online.map(\.isOnline) == [true] && online.map(\.userID) == ["7"])
        #expect(online.first?.rule.online == "customer:online")
        #expect(announcer.arrived("7", roles: ["customer"]).isEmpty)
        let offline = announcer.left("7")
        #expect(offline.map(\.isOnline) == [false] && offline.first?.rule.offline == "customer:offline")
        #expect(announcer.left("7").isEmpty)
        #expect(announcer.onlineCount == 0)
    }

    @Test func otherRolesAreNotAnnouncedAndTheirDeparturesNeither() {
        var announcer = OnlineAnnouncer(rules: [.customers])
        #expect(announcer.arrived("1", roles: ["admin"]).isEmpty)
        #expect(announcer.left("1").isEmpty)
    }

    @Test func everyMatchingRuleAnnouncesAndOnlyThoseGoOffline() {
        let staff = OnlineEventRule(
            role: "staff", channel: "system", online: "staff:online", offline: "staff:offline", idField: "staffId")
        var announcer = OnlineAnnouncer(rules: [.customers, staff])
        #expect(
            announcer.arrived("5", roles: ["staff", "customer"]).map(\.rule.online) == [
                "customer:online", "staff:online",
            ])
        #expect(announcer.left("5").map(\.rule.offline) == ["customer:offline", "staff:offline"])
    }
}
