import HeraldConfig
import HeraldModel
import Testing

@testable import HeraldTokens

@Suite struct TokenVerifierTests {
    /// Signed by Python's hmac/hashlib (not jwt-kit) with the secret "change-me", a numeric `sub`, far future `exp`.
    static let foreignToken =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOjQyLCJyb2xlcyI6WyJtZW1iZXIiXSwibmFtZSI6IkFuYSIsImV4cCI6NDEwMjQ0NDgwMH0.Rts4qY-LC4pFMbYA4hcJzHAVldrnebUzuQpsv6eQVb0"

    func verifier(secret: String = "change-me", issuer: String? = nil) async throws -> TokenVerifier {
        var auth = AuthConfig()
        auth.jwtSecret = secret
        auth.issuer = issuer
        return try await TokenVerifier(auth: auth)
    }

    @Test func acceptsATokenFromAnotherLibraryWithAShortSecret() async throws {
        let principal = try await verifier().verify(Self.foreignToken)
        #expect(principal.userID == "42")
        #expect(principal.roles == ["member"])
        #expect(principal.name == "Ana")
    }

    @Test func acceptsTheBearerPrefix() async throws {
        let principal = try await verifier().verify("Bearer " + Self.foreignToken)
        #expect(principal.userID == "42")
    }

    @Test func rejectsAnotherSecret() async throws {
        let verifier = try await verifier(secret: "another-secret")
        await #expect(throws: HeraldError.self) { try await verifier.verify(Self.foreignToken) }
    }

    @Test func issuedTokensRoundTripWithRolesAndExpiry() async throws {
        let token = try await TokenIssuer.issue(
            secret: "change-me", subject: "7", roles: ["admin"], name: "Root", ttlSeconds: 60, now: 1_000_000)
        let principal = try await verifier().verify(token, now: 1_000_030)
        #expect(principal.userID == "7")
        #expect(principal.roles == ["admin"])
        #expect(principal.expiresAt == 1_000_060)
    }

    @Test func theInfoClaimReachesThePrincipalAsJSONTextWhenItIsAnObject() async throws {
        let info = ClaimValue.object([
            "avatar": .string("https://a/1.png"), "level": .integer(3), "tags": .array([.bool(true), .null]),
        ])
        let token = try await TokenIssuer.issue(
            secret: "change-me", subject: "7", roles: ["member"], ttlSeconds: 60, info: info, now: 1_000_000)
        let principal = try await verifier().verify(token, now: 1_000_030)
        #expect(principal.info == #"{"avatar":"https://a/1.png","level":3,"tags":[true,null]}"#)
        let plain = try await TokenIssuer.issue(
            secret: "change-me", subject: "7", roles: ["member"], ttlSeconds: 60, info: .string("x"), now: 1_000_000)
        #expect(try await verifier().verify(plain, now: 1_000_030).info == nil, "only an object describes a user")
    }

    @Test func expiredTokensSayTokenExpired() async throws {
        let token = try await TokenIssuer.issue(
            secret: "change-me", subject: "7", roles: [], ttlSeconds: 60, now: 1_000_000)
        do {
            _ = try await verifier().verify(token, now: 1_000_000 + 60 + 31)
            Issue.record("an expired token was accepted")
        } catch let error as HeraldError {
            #expect(error.code == .tokenExpired)
            #expect(error.message == "Token expired")
        }
        // Within the 30 s leeway it still passes.
        _ = try await verifier().verify(token, now: 1_000_000 + 60 + 29)
    }

    @Test func garbageIsAuthenticationFailed() async throws {
        for garbage in ["", "a.b.c", "not a token", Self.foreignToken + "x"] {
            do {
                _ = try await verifier().verify(garbage)
                Issue.record("accepted \(garbage)")
            } catch let error as HeraldError {
                #expect(error.code == .authenticationFailed)
            }
        }
    }

    @Test func issuerIsChecked() async throws {
        let token = try await TokenIssuer.issue(secret: "change-me", subject: "1", roles: [], issuer: "other")
        await #expect(throws: HeraldError.self) { try await verifier(issuer: "herald").verify(token) }
    }

    @Test func revokedTokensAreRefused() async throws {
        let verifier = try await verifier()
        let token = try await TokenIssuer.issue(secret: "change-me", subject: "1", roles: [])
        let principal = try await verifier.verify(token)
        await verifier.revoke(tokenID: try #require(principal.tokenID))
        await #expect(throws: HeraldError.self) { try await verifier.verify(token) }
    }
}

@Suite struct TokenVerifierReloadTests {
    @Test func revocationsCarryOverToAReplacementVerifier() async throws {
        var auth = AuthConfig()
        auth.jwtSecret = "change-me"
        let first = try await TokenVerifier(auth: auth)
        let token = try await TokenIssuer.issue(secret: "change-me", subject: "1", roles: [])
        let jti = try #require(try await first.verify(token).tokenID)
        await first.revoke(tokenID: jti)
        let second = try await TokenVerifier(auth: auth, revoked: await first.revokedTokenIDs)
        await #expect(throws: HeraldError.self) { try await second.verify(token) }
    }
}
