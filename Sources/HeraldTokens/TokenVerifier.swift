import HeraldConfig
import HeraldModel
import JWTKit

/// Verifies client tokens: the signature with a key the configuration pins (`TokenKeySet`: HS256 with the
/// shared secret, RS256/ES256 with the public keys, chosen by `kid`), `exp`/`nbf` with leeway, `iss` and `aud`
/// when configured, and revoked `jti`s. Verdicts are cached per token until it expires, since verification
/// costs ~15 µs (more for RSA) and a token is checked at connect, subscribe and refresh.
public actor TokenVerifier {
    private let keys: TokenKeySet
    private let issuer: String?
    private let audience: String?
    private let leeway: Int64
    private var cache: VerdictCache
    private var revoked: Set<String> = []

    public init(auth: AuthConfig, revoked: Set<String> = [], cacheCapacity: Int = 100_000) async throws {
        keys = try await TokenKeySet(auth: auth)
        issuer = auth.issuer
        audience = auth.audience
        leeway = Int64(auth.leewaySeconds)
        cache = VerdictCache(capacity: cacheCapacity)
        self.revoked = revoked
    }

    /// The algorithms tokens may be signed with under this configuration.
    public nonisolated var algorithms: Set<TokenAlgorithm> { keys.algorithms }

    /// The `jti`s revoked so far, to carry over to a verifier built from a reloaded configuration.
    public var revokedTokenIDs: Set<String> { revoked }

    /// The principal for a token (`Bearer ` prefix allowed), or an `AUTHENTICATION_FAILED` /
    /// `TOKEN_EXPIRED` error.
    public func verify(_ presented: String, now: Int64 = Clock.wallMilliseconds() / 1000) async throws -> Principal {
        let token = presented.hasPrefix("Bearer ") ? String(presented.dropFirst(7)) : presented
        if let cached = cache.lookup(token) {
            return try check(cached, now: now)
        }
        guard let header = TokenHeader(token: token) else { throw HeraldError(.authenticationFailed, "Invalid token") }
        let candidates = keys.candidates(for: header)
        guard !candidates.isEmpty else {
            let accepted = keys.algorithms.map(\.rawValue).sorted().joined(separator: ", ")
            throw HeraldError(
                .authenticationFailed,
                "Invalid token: signed with \(header.algorithm)\(header.keyID.map { " key \"\($0)\"" } ?? ""); "
                    + "this server accepts \(accepted)")
        }
        var verified: TokenClaims?
        for key in candidates {
            if let claims = try? await key.keys.verify(token, as: TokenClaims.self) {
                verified = claims
                break
            }
        }
        guard let claims = verified else { throw HeraldError(.authenticationFailed, "Invalid token") }
        if let issuer, claims.iss != issuer {
            throw HeraldError(.authenticationFailed, "Invalid token: issuer is not \(issuer)")
        }
        if let audience, !(claims.aud ?? []).contains(audience) {
            throw HeraldError(.authenticationFailed, "Invalid token: audience does not include \(audience)")
        }
        cache.store(token, claims)
        return try check(claims, now: now)
    }

    public func revoke(tokenID: String) {
        revoked.insert(tokenID)
    }

    private func check(_ claims: TokenClaims, now: Int64) throws -> Principal {
        if let exp = claims.exp, now > exp + leeway { throw HeraldError(.tokenExpired, "Token expired") }
        if let nbf = claims.nbf, now + leeway < nbf {
            throw HeraldError(.authenticationFailed, "Invalid token: not valid yet")
        }
        if let jti = claims.jti, revoked.contains(jti) {
            throw HeraldError(.authenticationFailed, "Invalid token: revoked")
        }
        return claims.principal
    }
}
