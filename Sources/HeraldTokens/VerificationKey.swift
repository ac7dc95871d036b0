import Foundation
import HeraldModel
import JWTKit

/// One key a token may be signed with: its algorithm, its key id, and a key collection holding this key alone
/// (so jwt-kit can never fall back to another key or algorithm than the one chosen here).
struct VerificationKey: Sendable {
    let algorithm: TokenAlgorithm
    /// The `kid` a token names to pick this key; nil for the shared secret.
    let keyID: String?
    let keys: JWTKeyCollection

    /// The HS256 key of the shared secret.
    static func sharedSecret(_ secret: String) async -> VerificationKey {
        let keys = JWTKeyCollection()
        await keys.add(hmac: SharedSecret.key(secret), digestAlgorithm: .sha256)
        return VerificationKey(algorithm: .hs256, keyID: nil, keys: keys)
    }

    /// An RS256 or ES256 (P-256) public key from a PEM file. Its key id is the file name without its
    /// extension: `/etc/herald/keys/app-2025.pem` is `app-2025`.
    static func publicKey(file path: String) async throws -> VerificationKey {
        guard let data = FileManager.default.contents(atPath: path), let pem = String(data: data, encoding: .utf8)
        else {
            throw HeraldError(
                .internal, "auth.public_keys: cannot read \"\(path)\"; check that it exists and is readable")
        }
        return try await publicKey(pem: pem, keyID: keyID(ofFile: path), source: path)
    }

    static func publicKey(pem: String, keyID: String, source: String) async throws -> VerificationKey {
        let keys = JWTKeyCollection()
        if let rsa = try? Insecure.RSA.PublicKey(pem: pem) {
            await keys.add(rsa: rsa, digestAlgorithm: .sha256)
            return VerificationKey(algorithm: .rs256, keyID: keyID, keys: keys)
        }
        if let ec = try? ES256PublicKey(pem: pem) {
            await keys.add(ecdsa: ec)
            return VerificationKey(algorithm: .es256, keyID: keyID, keys: keys)
        }
        throw HeraldError(
            .internal,
            "auth.public_keys: \"\(source)\" is not an RSA (at least 2048 bits) or P-256 public key in PEM "
                + "(-----BEGIN PUBLIC KEY-----); export it with `openssl pkey -pubout`")
    }

    /// The file name without directory and extension.
    static func keyID(ofFile path: String) -> String {
        let name = (path as NSString).lastPathComponent
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
