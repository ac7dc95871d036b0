import Foundation
import HeraldConfig
import HeraldModel
import JWTKit
import Testing
import _CryptoExtras

@testable import HeraldTokens

/// RS256 and ES256 tokens signed with freshly generated keys, and the attacks that pinned algorithms stop.
@Suite struct PublicKeyTests {
    /// A temporary directory holding `rsa-main.pem` (RSA 2048) and `ec-2025.pem` (P-256) public keys, with the
    /// private keys to sign test tokens.
    final class Keys {
        let directory: String
        let rsa: _RSA.Signing.PrivateKey
        let ec: ES256PrivateKey
        var rsaPath: String { directory + "/rsa-main.pem" }
        var ecPath: String { directory + "/ec-2025.pem" }

        init() throws {
            directory = NSTemporaryDirectory() + "herald-token-keys-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            ec = ES256PrivateKey()
            try Data(rsa.publicKey.pemRepresentation.utf8).write(to: URL(fileURLWithPath: rsaPath))
            try Data(ec.publicKey.pemRepresentation.utf8).write(to: URL(fileURLWithPath: ecPath))
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        var rsaPublicPEM: String { rsa.publicKey.pemRepresentation }

        func sign(_ claims: TokenClaims, with algorithm: TokenAlgorithm, kid: String?) async throws -> String {
            let keys = JWTKeyCollection()
            let id = kid.map { JWKIdentifier(string: $0) }
            switch algorithm {
            case .rs256:
                await keys.add(rsa: try Insecure.RSA.PrivateKey(backing: rsa), digestAlgorithm: .sha256, kid: id)
            case .es256: await keys.add(ecdsa: ec, kid: id)
            case .hs256:
                await keys.add(hmac: HMACKey(from: Array(rsaPublicPEM.utf8)), digestAlgorithm: .sha256, kid: id)
            }
            return try await keys.sign(claims, kid: id)
        }
    }

    static let claims = TokenClaims(sub: "42", roles: ["member"], exp: 4_102_444_800, jti: "tok-1")

    func verifier(_ keys: Keys, secret: String? = nil) async throws -> TokenVerifier {
        try await TokenVerifier(auth: AuthConfig(jwtSecret: secret, publicKeys: [keys.rsaPath, keys.ecPath]))
    }

    func expectRefused(_ verifier: TokenVerifier, _ token: String, sourceLocation: SourceLocation = #_sourceLocation)
        async
    {
        do {
            _ = try await verifier.verify(token)
            Issue.record("accepted a token that must be refused", sourceLocation: sourceLocation)
        } catch let error as HeraldError {
            #expect(error.code == .authenticationFailed, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func keyIDsAreFileNamesWithoutExtension() {
        #expect(VerificationKey.keyID(ofFile: "/etc/herald/keys/app-2025.pem") == "app-2025")
        #expect(VerificationKey.keyID(ofFile: "main") == "main")
        #expect(VerificationKey.keyID(ofFile: "keys/a.b.pem") == "a.b")
    }

    @Test func algorithmsFollowTheConfiguration() async throws {
        let keys = try Keys()
        #expect(try await verifier(keys).algorithms == [.rs256, .es256])
        #expect(try await verifier(keys, secret: "s").algorithms == [.hs256, .rs256, .es256])
        let onlyEC = try await TokenVerifier(auth: AuthConfig(jwtSecret: nil, publicKeys: [keys.ecPath]))
        #expect(onlyEC.algorithms == [.es256])
    }

    @Test func rs256AndES256TokensAreAcceptedByKid() async throws {
        let keys = try Keys()
        let verifier = try await verifier(keys)
        let rsa = try await keys.sign(Self.claims, with: .rs256, kid: "rsa-main")
        let ec = try await keys.sign(Self.claims, with: .es256, kid: "ec-2025")
        #expect(try await verifier.verify(rsa).userID == "42")
        #expect(try await verifier.verify(ec).tokenID == "tok-1")
    }

    @Test func withoutKidEveryKeyOfTheAlgorithmIsTried() async throws {
        let keys = try Keys()
        let token = try await keys.sign(Self.claims, with: .es256, kid: nil)
        #expect(try await verifier(keys).verify(token).userID == "42")
    }

    @Test func aKidNamingAnotherKeyOrAlgorithmIsRefused() async throws {
        let keys = try Keys()
        let verifier = try await verifier(keys)
        await expectRefused(verifier, try await keys.sign(Self.claims, with: .rs256, kid: "ec-2025"))
        await expectRefused(verifier, try await keys.sign(Self.claims, with: .es256, kid: "unknown"))
    }

    @Test func hs256IsRefusedWithoutASecret() async throws {
        let keys = try Keys()
        let token = try await TokenIssuer.issue(secret: "change-me", subject: "1", roles: [])
        await expectRefused(try await verifier(keys), token)
    }

    /// The classic confusion: an attacker signs HS256 with the server's RSA public key (PEM text) as the HMAC
    /// secret and names the RSA key's kid. Refused with or without a shared secret configured.
    @Test func hmacSignedWithThePublicKeyIsRefused() async throws {
        let keys = try Keys()
        let forged = try await keys.sign(Self.claims, with: .hs256, kid: "rsa-main")
        await expectRefused(try await verifier(keys), forged)
        await expectRefused(try await verifier(keys, secret: "change-me"), forged)
        let unnamed = try await keys.sign(Self.claims, with: .hs256, kid: nil)
        await expectRefused(try await verifier(keys, secret: "change-me"), unnamed)
    }

    @Test func algNoneIsRefused() async throws {
        let keys = try Keys()
        func encode(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        let payload = encode(#"{"sub":"42","exp":4102444800}"#)
        for header in [#"{"alg":"none"}"#, #"{"alg":"none","kid":"rsa-main"}"#, #"{"alg":"NONE"}"#] {
            await expectRefused(try await verifier(keys, secret: "change-me"), encode(header) + "." + payload + ".")
        }
    }

    @Test func aFileThatIsNoKeySaysWhatToDo() async throws {
        let keys = try Keys()
        let bogus = keys.directory + "/bogus.pem"
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: bogus))
        do {
            _ = try await TokenVerifier(auth: AuthConfig(jwtSecret: nil, publicKeys: [bogus]))
            Issue.record("a file without a key was accepted")
        } catch let error as HeraldError {
            #expect(error.message.contains("openssl pkey -pubout"))
        }
    }
}
