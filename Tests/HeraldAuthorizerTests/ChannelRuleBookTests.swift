import HeraldConfig
import HeraldModel
import Testing

@testable import HeraldAuthorizer

/// The built-in rules, row by row of the seed channel strategy, for each kind of principal.
@Suite struct ChannelRuleBookTests {
    static let book = ChannelRuleBook(
        configured: [], requiredRoles: ["forum.7": "moderator", "thread.9": "senior_member", "forum.8": "hook"],
        hierarchy: AuthConfig.defaultRoles)

    static func user(_ id: String, _ roles: String...) -> Principal { Principal(userID: id, roles: roles) }
    static let anonymous = Principal(userID: "")
    static let guest = user("42", "guest")
    static let member = user("42", "member")
    static let senior = user("42", "senior_member")
    static let moderator = user("42", "moderator")
    static let admin = user("42", "admin")
    static let superAdmin = user("42", "super_admin")
    static let seller = user("42", "seller")
    static let manager = user("42", "manager")
    static let staff = user("42", "staff")
    static let customer = user("42", "customer")
    static let noRoles = user("42")

    struct Case: Sendable, CustomTestStringConvertible {
        let channel: String
        let principal: Principal
        let expected: PolicyVerdict
        var testDescription: String {
            "\(channel) as \(principal.userID.isEmpty ? "anonymous" : principal.userID)\(principal.roles) → \(expected)"
        }
    }

    static func allow(_ channel: String, _ principals: Principal...) -> [Case] {
        principals.map { Case(channel: channel, principal: $0, expected: .allow) }
    }
    static func deny(_ channel: String, _ principals: Principal...) -> [Case] {
        principals.map { Case(channel: channel, principal: $0, expected: .deny("")) }
    }
    static func hook(_ channel: String, _ principals: Principal...) -> [Case] {
        principals.map { Case(channel: channel, principal: $0, expected: .askHook) }
    }

    static let cases: [Case] =
        // Self channels: the owner only, ids compared as strings, whatever the roles.
        allow("user.42", noRoles, member, admin) + deny("user.43", member, admin, superAdmin)
        + allow("user.42.messages", member) + allow("user.42.orders", member) + allow("user.42.following", guest)
        + deny("user.43.messages", admin) + deny("user.42.secrets", member) + deny("user.42.messages.x", member)
        + allow("private-user.42", member) + deny("private-user.43", superAdmin)
        + allow("following.42", member) + deny("following.4", member) + deny("following.420", member)
        + deny("user.042", member) + deny("user.42 ", member) + deny("USER.42", member) + deny("User.42", member)
        + deny("user.", member) + deny("user", member) + deny("user.42", anonymous)
        // Forums: open to the signed-in without an entry; at or above the required role with one; hook on "hook".
        + allow("thread.456", guest, noRoles, member) + allow("forum.2", member) + allow("presence-thread.3", guest)
        + deny("thread.456", anonymous) + deny("thread.1.extra", member) + deny("Thread.1", member)
        + deny("forum.7", guest, member, senior, seller) + allow("forum.7", moderator, admin, superAdmin)
        + deny("thread.9", member) + allow("thread.9", senior, moderator) + allow("thread.99", member)
        + hook("forum.8", member, admin) + deny("forum.8", anonymous)
        // Public: anyone connected, signed in or not.
        + allow("marketplace.global", anonymous, guest) + allow("products", anonymous, noRoles)
        + allow("product.9", anonymous) + allow("showcase.3", member) + allow("public.news", anonymous)
        + allow("public.a.b", member) + deny("public.", anonymous) + deny("public", anonymous)
        + deny("product.9.secret", anonymous) + deny("marketplace.globals", member) + deny("productsx", member)
        // Conversations and rooms: the hook (the token cases are below).
        + hook("conversation.1", member, admin) + hook("room.lottery-1", member) + deny("conversation.1", anonymous)
        + deny("conversation.1.x", member) + deny("room.", member)
        // Staff channels.
        + deny("admin.notifications", guest, member, senior, moderator, seller, manager, staff, anonymous)
        + allow("admin.notifications", admin, superAdmin)
        + deny("moderator.reports", guest, member, senior, seller, anonymous)
        + allow("moderator.reports", moderator, admin, superAdmin)
        + allow("seller.42", seller) + deny("seller.43", seller) + deny("seller.42", member, admin, superAdmin)
        + deny("seller.042", seller) + deny("seller.42", Principal(userID: "", roles: ["seller"]))
        // Namespaces.
        + allow("orders", admin, superAdmin, manager, staff, customer) + deny("orders", member, moderator, seller)
        + allow("payments", admin, manager, staff, customer) + deny("payments", guest, anonymous)
        + allow("customers", admin, superAdmin, manager, staff) + deny("customers", customer, member, moderator)
        + allow("inventory", admin, manager, staff) + deny("inventory", customer, seller)
        + allow("system", admin, superAdmin) + deny("system", manager, staff, moderator, customer, anonymous)
        + deny("orders.1", admin) + deny("Orders", admin)
        // No rule: refused, even to super_admin.
        + deny("news", superAdmin) + deny("a", superAdmin) + deny("private-x", superAdmin)
        // Outside the grammar: refused before any rule.
        + deny(String(repeating: "a", count: 201), superAdmin)
        + deny("public." + String(repeating: "a", count: 200), anonymous)
        + deny("public.ünïcode", anonymous) + deny("public.١٢", anonymous) + deny("user.٤٢", Principal(userID: "٤٢"))
        + deny("public.a b", anonymous) + deny("public.a#b", anonymous) + deny("", anonymous)
        + deny("public.a/b", anonymous) + deny("user.42\n", member)
        + allow("public." + String(repeating: "a", count: 193), anonymous)

    @Test(arguments: cases)
    func builtInRules(_ c: Case) {
        let verdict = Self.book.verdict(for: SubscriptionQuestion(principal: c.principal, channel: c.channel))
        switch (c.expected, verdict) {
        case (.deny, .deny): break
        default: #expect(verdict == c.expected)
        }
    }

    @Test func eachBuiltInRuleIsReachable() {
        // No built-in rule is shadowed by an earlier one: each pattern matches a channel it alone decides.
        for (index, rule) in Self.book.rules.enumerated() {
            let example = rule.source.pattern.replacingOccurrences(of: "{id}", with: "5")
                .replacingOccurrences(of: "{roomId}", with: "r1").replacingOccurrences(of: "*", with: "x")
            let first = Self.book.rules.firstIndex { $0.pattern.match(example) != nil }
            #expect(first == index, "\(rule.source.pattern)")
        }
    }

    @Test func tokenChannelsClaimGrantsExactNamesAndPrefixes() {
        let granted = Principal(userID: "1", channels: ["conversation.9", "room.*"])
        func verdict(_ channel: String) -> PolicyVerdict {
            Self.book.verdict(for: SubscriptionQuestion(principal: granted, channel: channel))
        }
        #expect(verdict("conversation.9") == .allow)
        #expect(verdict("conversation.10") == .askHook)
        #expect(verdict("room.lottery-1") == .allow)
        // The claim grants only where a rule allows `token`.
        #expect(verdict("admin.notifications") != .allow)
    }

    @Test func subscriptionTokenGrantsExactlyItsChannel() {
        let member = Self.member
        let question = SubscriptionQuestion(
            principal: member, channel: "conversation.9", tokenChannel: "conversation.9")
        #expect(Self.book.verdict(for: question) == .allow)
        let other = SubscriptionQuestion(principal: member, channel: "conversation.90", tokenChannel: "conversation.9")
        #expect(Self.book.verdict(for: other) == .askHook)
        let elsewhere = SubscriptionQuestion(
            principal: member, channel: "admin.notifications", tokenChannel: "admin.notifications")
        #expect(Self.book.verdict(for: elsewhere) != .allow)
    }

    @Test func configuredRulesComeFirstAndTheFirstMatchDecides() {
        let book = ChannelRuleBook(
            configured: [
                ChannelRule(pattern: "admin.notifications", allow: ["moderator"]),
                ChannelRule(pattern: "team.{id}", allow: ["self", "admin"]),
                ChannelRule(pattern: "team.*", allow: ["anyone"]),
                ChannelRule(pattern: "desk.{userId}", allow: ["staff+self"]),
                ChannelRule(pattern: "vip.*", allow: ["token"]),
            ], requiredRoles: [:], hierarchy: AuthConfig.defaultRoles)
        func verdict(_ channel: String, _ principal: Principal) -> PolicyVerdict {
            book.verdict(for: SubscriptionQuestion(principal: principal, channel: channel))
        }
        #expect(verdict("admin.notifications", Self.moderator) == .allow)
        #expect(verdict("team.42", Self.member) == .allow)
        #expect(verdict("team.43", Self.admin) == .allow)
        #expect(verdict("team.43", Self.member) != .allow)  // team.{id} matched first and decided
        #expect(verdict("team.a.b", Self.anonymous) == .allow)
        #expect(verdict("desk.42", Self.staff) == .allow)
        #expect(verdict("desk.42", Self.member) != .allow)
        #expect(verdict("desk.43", Self.staff) != .allow)
        #expect(verdict("vip.1", Principal(userID: "1", channels: ["vip.*"])) == .allow)
        #expect(verdict("vip.1", Principal(userID: "", channels: ["vip.*"])) != .allow)
        #expect(verdict("user.42", Self.member) == .allow)  // built-in rules still apply after
    }

    @Test func patternsMatchWholeNamesAndCapturePlaceholders() {
        #expect(ChannelPattern("user.{id}.orders").match("user.7.orders") == ["id": "7"])
        #expect(ChannelPattern("user.{id}").match("user.7.orders") == nil)
        #expect(ChannelPattern("a.*.c").match("a.b.b.c") == [:])
        #expect(ChannelPattern("a.*").match("a.") == nil)
        #expect(ChannelPattern("{a}-{b}").match("x-y-z")?["a"] == "x")
        #expect(ChannelPattern("room.{roomId}").match("room.r-1") == ["roomId": "r-1"])
    }
}
