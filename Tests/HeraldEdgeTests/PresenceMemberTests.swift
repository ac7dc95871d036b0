import HeraldDaemonKit
import HeraldEdge
import HeraldModel
import NIOCore
import Testing

/// How a token describes its user to the other members: `name`, and the `info` claim's members.
@Suite struct PresenceMemberTests {
    func info(_ principal: Principal) -> String? {
        PresenceMember(principal).info.map { String(buffer: $0) }
    }

    @Test func nameAloneNeitherOrBoth() {
        #expect(info(Principal(userID: "1")) == nil)
        #expect(info(Principal(userID: "1", name: "Ada")) == #"{"name":"Ada"}"#)
        var both = Principal(userID: "1", name: "Ada")
        both.info = #"{"avatar":"https://a/1.png","level":3}"#
        #expect(info(both) == #"{"name":"Ada","avatar":"https://a/1.png","level":3}"#)
        #expect(PresenceMember(both).infoString("avatar") == "https://a/1.png")
    }

    @Test func theInfoClaimsOwnNameWins() {
        var principal = Principal(userID: "1", name: "Ada")
        principal.info = #"{"name":"Ada L.","avatar":null}"#
        #expect(info(principal) == #"{"name":"Ada L.","avatar":null}"#)
        #expect(PresenceMember(principal).infoString("avatar") == nil)
    }

    @Test func onTheOnlineChannelTheRolesAreKept() {
        let member = PresenceMember.online(Principal(userID: "9", roles: ["customer", "member"], name: "C"))
        #expect(member.info.map { String(buffer: $0) } == #"{"roles":["customer","member"]}"#)
    }
}
