import Testing

@testable import HeraldConfig

/// `auth.hook`, `channels.required_roles` and the `allow` words rules may use.
@Suite struct ChannelPolicyConfigTests {
    @Test func theHookIsReadWithItsDefaults() throws {
        #expect(try load("").auth.hook == AuthHookConfig())
        let hook = try load(
            "auth: {hook: {url: \"http://127.0.0.1:9000/authorize\", secret: s, timeout_ms: 500, cache_seconds: 5}}"
        ).auth.hook
        #expect(
            hook
                == AuthHookConfig(
                    url: "http://127.0.0.1:9000/authorize", secret: "s", timeoutMilliseconds: 500, cacheSeconds: 5))
    }

    @Test func hookProblemsNameTheirKeys() {
        let found = problems("auth: {hook: {url: \"ftp://x\", timeout_ms: 0, cache_seconds: -1, sekret: x}}")
        #expect(found.contains { $0.hasPrefix("auth.hook.url:") })
        #expect(found.contains { $0.hasPrefix("auth.hook.timeout_ms:") })
        #expect(found.contains { $0.hasPrefix("auth.hook.cache_seconds:") })
        #expect(found.contains { $0.hasPrefix("auth.hook.sekret: unknown key (did you mean \"secret\"?)") })
    }

    @Test func requiredRolesAreChannelsAndRolesOfTheHierarchy() throws {
        let channels = try load("channels: {required_roles: {\"forum.7\": moderator, \"forum.9\": hook}}").channels
        #expect(channels.requiredRoles == ["forum.7": "moderator", "forum.9": "hook"])
        let found = problems("channels: {required_roles: {\"forum 7\": moderator, \"thread.1\": seller}}")
        #expect(found.count == 2)
        #expect(found.contains { $0.hasPrefix("channels.required_roles.forum 7:") })
        #expect(found.contains { $0.contains("\"seller\" is not in auth.roles") })
    }

    @Test func allowWordsMayBeJoinedWithPlus() throws {
        let rules = try load("channels: {rules: [{pattern: \"desk.{id}\", allow: [staff+self, token]}]}").channels.rules
        #expect(rules.first?.alternatives == [["staff", "self"], ["token"]])
        #expect(rules.first?.specials == [.`self`, .token])
        #expect(problems("channels: {rules: [{pattern: \"desk\", allow: [staff+]}]}").count == 1)
        #expect(problems("channels: {rules: [{pattern: \"desk\", allow: [staff+self]}]}").count == 1)
    }
}
