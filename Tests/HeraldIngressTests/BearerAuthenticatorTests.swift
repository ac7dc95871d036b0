import HeraldConfig
import HeraldModel
import Testing

@testable import HeraldIngress

@Suite("BearerAuthenticator")
struct BearerAuthenticatorTests {
    let authenticator = BearerAuthenticator(keys: [
        APIKey(key: "stats-only", scopes: [.stats]), APIKey(key: "publisher-key", scopes: [.publish]),
    ])

    func code(_ header: String?) -> ErrorCode? {
        do {
            _ = try authenticator.authorize(header, for: .publish)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func acceptsAKeyWithTheScope() throws {
        #expect(try authenticator.authorize("Bearer publisher-key", for: .publish).key == "publisher-key")
        #expect(try authenticator.authorize("bearer  publisher-key ", for: .publish).key == "publisher-key")
    }

    @Test(arguments: [
        nil, "", "Bearer", "Bearer ", "Basic cHVibGlzaGVyLWtleQ==", "publisher-key", "Bearer publisher-ke",
        "Bearer publisher-key2", "Bearer PUBLISHER-KEY",
    ])
    func refusesMissingOrUnknownKeys(_ header: String?) {
        #expect(code(header) == .authenticationFailed)
    }

    @Test func refusesAKeyWithoutTheScope() {
        #expect(code("Bearer stats-only") == .permissionDenied)
    }

    @Test func constantTimeComparison() {
        #expect(BearerAuthenticator.constantTimeEqual("abc", "abc"))
        #expect(!BearerAuthenticator.constantTimeEqual("abc", "abd"))
        #expect(!BearerAuthenticator.constantTimeEqual("abc", "ab"))
        #expect(!BearerAuthenticator.constantTimeEqual("abc", "abcabc"))
        #expect(!BearerAuthenticator.constantTimeEqual("", ""))
    }
}
