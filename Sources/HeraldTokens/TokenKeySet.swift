import HeraldConfig
import HeraldModel

/// Every key the configuration allows, and the rule that picks the ones a token may be checked with.
///
/// The algorithm is pinned by the configuration, never by the token: a token's `alg` must be one the
/// configured keys have (`none` never is), and only keys of exactly that algorithm are tried. So an RS256 or
/// ES256 token cannot be checked as HS256 with a public key as the secret, and an unsigned one is refused.
struct TokenKeySet: Sendable {
    let keys: [VerificationKey]

    init(keys: [VerificationKey]) { self.keys = keys }

    /// The shared secret (when set) and every file in `auth.public_keys`.
    init(auth: AuthConfig) async throws {
        var keys: [VerificationKey] = []
        if let secret = auth.jwtSecret, !secret.isEmpty { keys.append(await .sharedSecret(secret)) }
        var seen: Set<String> = []
        for path in auth.publicKeys {
            let key = try await VerificationKey.publicKey(file: path)
            if let id = key.keyID, !seen.insert(id).inserted {
                throw HeraldError(
                    .internal,
                    "auth.public_keys: two files have the key id \"\(id)\" (the file name without extension); "
                        + "rename one")
            }
            keys.append(key)
        }
        guard !keys.isEmpty else {
            throw HeraldError(
                .internal,
                "no token keys: set auth.jwt_secret (or HERALD_AUTH_JWT_SECRET, or the jwt_secret credential) or "
                    + "list PEM files in auth.public_keys")
        }
        self.keys = keys
    }

    /// The algorithms tokens may use.
    var algorithms: Set<TokenAlgorithm> { Set(keys.map(\.algorithm)) }

    /// The keys to try for a token with this header, in order: for HS256 the secret; for RS256/ES256 the key
    /// the `kid` names (which must be of that algorithm), or every key of the algorithm when there is no `kid`.
    /// Empty when the header's algorithm is not accepted.
    func candidates(for header: TokenHeader) -> [VerificationKey] {
        guard let algorithm = TokenAlgorithm(rawValue: header.algorithm) else { return [] }
        let ofAlgorithm = keys.filter { $0.algorithm == algorithm }
        guard algorithm != .hs256, let keyID = header.keyID else { return ofAlgorithm }
        return ofAlgorithm.filter { $0.keyID == keyID }
    }
}
