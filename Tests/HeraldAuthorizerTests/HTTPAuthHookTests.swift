import AsyncHTTPClient
import Foundation
import HeraldConfig
import HeraldModel
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import HeraldAuthorizer

/// The hook against a real local HTTP server: what it sends, how it reads answers, its timeout, its cache and
/// its coalescing.
@Suite(.serialized) struct HTTPAuthHookTests {
    static let logger = Logger(label: "test")

    static func question(_ channel: String, user: String = "42") -> HookQuestion {
        HookQuestion(user: user, roles: ["member"], channel: channel, socketID: "c_1")
    }

    func withServer(_ body: (HookTestServer) async throws -> Void) async throws {
        let server = try await HookTestServer()
        do {
            try await body(server)
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    func hook(_ server: HookTestServer, timeoutMS: Int = 1000) -> HTTPAuthHook {
        HTTPAuthHook(url: server.url, secret: "s3cret", timeout: .milliseconds(timeoutMS), logger: Self.logger)
    }

    @Test func allowSendsTheQuestionWithTheSecret() async throws {
        try await withServer { server in
            let answer = await hook(server).ask(Self.question("conversation.allow"))
            #expect(answer == .allow(info: #"{"name":"A"}"#))
            let seen = try #require(server.seen.first)
            #expect(seen.authorization == "Bearer s3cret")
            #expect(seen.body["user"] == "42")
            #expect(seen.body["channel"] == "conversation.allow")
            #expect(seen.body["socket_id"] == "c_1")
            #expect(seen.body["roles"] != nil)
        }
    }

    @Test(arguments: ["conversation.deny", "conversation.error", "conversation.garbage"])
    func everyOtherAnswerDenies(_ channel: String) async throws {
        try await withServer { server in
            guard case .deny = await hook(server).ask(Self.question(channel)) else {
                Issue.record("\(channel) was allowed")
                return
            }
        }
    }

    @Test func aSlowHookTimesOutAsADeny() async throws {
        try await withServer { server in
            // The server would allow after 3 s; a deny naming the timeout shows the hook gave up first.
            let answer = await hook(server, timeoutMS: 200).ask(Self.question("conversation.slow"))
            #expect(answer == .deny("the auth hook did not answer within 200 ms"))
        }
    }

    @Test func aRefusedConnectionDenies() async throws {
        let server = try await HookTestServer()
        let url = server.url
        try await server.stop()
        let hook = HTTPAuthHook(url: url, secret: nil, timeout: .milliseconds(500), logger: Self.logger)
        // AsyncHTTPClient keeps retrying a refused connection until the request's deadline, so this is a deny
        // once the timeout has passed.
        guard case .deny = await hook.ask(Self.question("conversation.allow")) else {
            Issue.record("allowed with no server")
            return
        }
    }

    @Test func answersAreCachedAllowAndDenyAlike() async throws {
        try await withServer { server in
            let cached = CachingAuthHook(hook(server), cacheSeconds: 60)
            #expect(await cached.ask(Self.question("conversation.allow")) == .allow(info: #"{"name":"A"}"#))
            #expect(await cached.ask(Self.question("conversation.allow")) == .allow(info: #"{"name":"A"}"#))
            guard case .deny = await cached.ask(Self.question("conversation.deny")) else { return }
            guard case .deny = await cached.ask(Self.question("conversation.deny")) else { return }
            #expect(server.requests == 2)
            // Another user is another question.
            _ = await cached.ask(Self.question("conversation.allow", user: "43"))
            #expect(server.requests == 3)
        }
    }

    @Test func cachedAnswersExpire() async throws {
        try await withServer { server in
            let cached = CachingAuthHook(hook(server), cacheSeconds: 0)
            _ = await cached.ask(Self.question("conversation.allow"))
            _ = await cached.ask(Self.question("conversation.allow"))
            #expect(server.requests == 2)
        }
    }

    @Test func concurrentIdenticalQuestionsMakeOneRequest() async throws {
        try await withServer { server in
            let cached = CachingAuthHook(hook(server), cacheSeconds: 60)
            let answers = await withTaskGroup(of: HookAnswer.self) { group in
                for _ in 0..<20 { group.addTask { await cached.ask(Self.question("conversation.wait")) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.count == 20)
            #expect(answers.allSatisfy { $0 == .allow(info: #"{"name":"W"}"#) })
            #expect(server.requests == 1)
        }
    }

    @Test func aSlowQuestionDoesNotDelayOthers() async throws {
        try await withServer { server in
            let cached = CachingAuthHook(hook(server, timeoutMS: 2500), cacheSeconds: 60)
            let slowAnswered = NIOLockedValueBox(false)
            let slow = Task {
                let answer = await cached.ask(Self.question("conversation.slow"))
                slowAnswered.withLockedValue { $0 = true }
                return answer
            }
            while server.requests == 0 { try await Task.sleep(for: .milliseconds(5)) }
            #expect(await cached.ask(Self.question("conversation.allow")) == .allow(info: #"{"name":"A"}"#))
            // The slow question times out after 2.5 s; the other one was answered while it still waited.
            #expect(!slowAnswered.withLockedValue { $0 })
            _ = await slow.value
        }
    }

    @Test func policyAsksTheHookOnlyWhereARuleSaysSo() async throws {
        try await withServer { server in
            let policy = RuleChannelPolicy(
                channels: ChannelsConfig(requiredRoles: ["forum.deny": "hook"]), auth: AuthConfig(),
                hook: CachingAuthHook(hook(server), cacheSeconds: 60))
            let member = Principal(userID: "42", roles: ["member"])
            #expect(await policy.decide(SubscriptionQuestion(principal: member, channel: "room.allow")).isAllowed)
            #expect(!(await policy.decide(SubscriptionQuestion(principal: member, channel: "room.deny")).isAllowed))
            #expect(!(await policy.decide(SubscriptionQuestion(principal: member, channel: "forum.deny")).isAllowed))
            #expect(await policy.decide(SubscriptionQuestion(principal: member, channel: "public.allow")).isAllowed)
            #expect(!(await policy.decide(SubscriptionQuestion(principal: member, channel: "admin.allow")).isAllowed))
            #expect(server.requests == 3)
        }
    }

    @Test func withoutAHookHookRulesDeny() async {
        let policy = RuleChannelPolicy(channels: ChannelsConfig(), auth: AuthConfig(), hook: nil)
        let decision = await policy.decide(
            SubscriptionQuestion(principal: Principal(userID: "1"), channel: "conversation.1"))
        #expect(decision == .denied("the rule for \"conversation.1\" asks the auth hook, and auth.hook.url is not set"))
    }
}
