import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldTokens
import HeraldWire
import NIOCore
import Testing

@testable import HeraldAuthorizer

/// `AuthorizerService.decide` reads a request's params once and hands the connection to count along with the
/// answer, so counting needs no second decoding.
@Suite struct ConnectDecisionTests {
    static let secret = "connect-decision-secret-of-32-bytes!!"

    func decide(_ method: String, _ params: ByteBuffer) async throws -> AuthorizerService.Decision {
        let verifier = try await TokenVerifier(auth: AuthConfig(jwtSecret: Self.secret))
        return try await AuthorizerService.decide(
            Request(id: 1, method: method, params: params), verifier: verifier,
            policy: RuleChannelPolicy(channels: ChannelsConfig(), auth: AuthConfig(), hook: nil))
    }

    @Test func aConnectThatNamesItsConnectionCarriesItToBeCounted() async throws {
        let token = try await TokenIssuer.issue(secret: Self.secret, subject: "42", roles: ["member"])
        let params = StageRequests.encode(StageRequests.AuthorizeConnect(token: token, connection: "1.2"))
        let decision = try await decide(StageRequests.authorizeConnect, params)
        #expect(decision.connection == StageRequests.CountedConnection(connection: "1.2", user: "42"))
        let verdict = try StageRequests.decode(StageRequests.ConnectVerdict.self, from: decision.answer)
        #expect(verdict.principal.userID == "42" && verdict.principal.roles == ["member"])
    }

    @Test func aConnectWithoutItsConnectionCountsNothing() async throws {
        let token = try await TokenIssuer.issue(secret: Self.secret, subject: "7", roles: [])
        let decision = try await decide(
            StageRequests.authorizeConnect, StageRequests.encode(StageRequests.AuthorizeConnect(token: token)))
        #expect(decision.connection == nil)
        #expect(
            try StageRequests.decode(StageRequests.ConnectVerdict.self, from: decision.answer).principal.userID == "7")
    }

    @Test func aSubscribeCountsNothing() async throws {
        let ask = StageRequests.AuthorizeSubscribe(principal: Principal(userID: "42"), channel: "public.lobby")
        let decision = try await decide(StageRequests.authorizeSubscribe, StageRequests.encode(ask))
        #expect(decision.connection == nil)
        #expect(try StageRequests.decode(StageRequests.SubscribeVerdict.self, from: decision.answer).allowed)
    }

    @Test func unreadableParamsAreInvalidPayloadNamingTheMember() async throws {
        let error = await #expect(throws: HeraldError.self) {
            try await decide(StageRequests.authorizeConnect, ByteBuffer(string: #"{"token":7}"#))
        }
        #expect(error?.code == .invalidPayload)
        #expect(error?.message == "authorize-connect: token: must be a string")
    }
}
