import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import JWTKit
import Testing

@testable import HeraldAuthorizer
@testable import HeraldTokens

/// `authorize-subscribe` end to end inside the authorizer: grammar first, subscription tokens, the policy.
@Suite struct SubscribeDecisionTests {
    struct SubscriptionClaims: JWTPayload {
        var sub: String
        var exp: Int64
        var channel: String?
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func mint(sub: String, channel: String?, ttl: Int64 = 600) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: SharedSecret.key("change-me"), digestAlgorithm: .sha256)
        let now = Clock.wallMilliseconds() / 1000
        return try await keys.sign(SubscriptionClaims(sub: sub, exp: now + ttl, channel: channel))
    }

    let member = Principal(userID: "42", roles: ["member"])
    let policy = RuleChannelPolicy(channels: ChannelsConfig(), auth: AuthConfig(), hook: nil)

    func decide(_ channel: String, token: String? = nil) async throws {
        let verifier = try await TokenVerifier(auth: AuthConfig())
        _ = try await AuthorizerService.decideSubscribe(
            StageRequests.AuthorizeSubscribe(principal: member, channel: channel, token: token), verifier: verifier,
            policy: policy)
    }

    func code(_ channel: String, token: String? = nil) async -> ErrorCode? {
        do {
            try await decide(channel, token: token)
            return nil
        } catch let error as HeraldError {
            return error.code
        } catch {
            return .internal
        }
    }

    @Test func aSubscriptionTokenGrantsExactlyItsChannel() async throws {
        let token = try await Self.mint(sub: "42", channel: "conversation.9")
        #expect(await code("conversation.9", token: token) == nil)
        #expect(await code("conversation.9") == .permissionDenied)
        #expect(await code("conversation.90", token: token) == .permissionDenied)
        #expect(
            await code("admin.notifications", token: try await Self.mint(sub: "42", channel: "admin.notifications"))
                == .permissionDenied)
    }

    @Test func aSubscriptionTokenMustBeValidAndTheSubscribers() async throws {
        #expect(await code("room.5", token: try await Self.mint(sub: "43", channel: "room.5")) == .permissionDenied)
        #expect(await code("room.5", token: try await Self.mint(sub: "42", channel: nil)) == .permissionDenied)
        #expect(
            await code("room.5", token: try await Self.mint(sub: "42", channel: "room.5", ttl: -3600)) == .tokenExpired)
        #expect(await code("room.5", token: "not-a-token") == .authenticationFailed)
    }

    @Test func malformedNamesAreRefusedBeforeAnyRule() async {
        #expect(await code("public.a b") == .invalidPayload)
        #expect(await code("public.#x") == .invalidPayload)
        #expect(await code(String(repeating: "p", count: 201)) == .invalidPayload)
        #expect(await code("public.ok") == nil)
    }
}
