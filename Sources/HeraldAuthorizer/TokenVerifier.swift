import HeraldConfig
import HeraldModel
import JWTKit

/// Verifies client tokens: signature (HS256 with the shared secret), `exp`/`nbf` with leeway, `iss` and
/// `aud` when configured, and revoked `jti`s. Verdicts are cached per token until it expires, since
/// verification costs ~15 µs and a token is checked at connect, subscribe and refresh.
public actor TokenVerifier {
    private let keys: JWTKeyCollection
    private let issuer: String?
    private let audience: String?
    private let leeway: Int64
    private var cache: VerdictCache
    private var revoked: Set<String> = []

    public init(auth: AuthConfig, revoked: Set<String> = [], cacheCapacity: Int = 100_000) async throws {
        guard let secret = auth.jwtSecret, !secret.isEmpty else {
            throw HeraldError(
                .internal, "auth.jwt_secret is empty: set it, HERALD_AUTH_JWT_SECRET, or the jwt_secret credential")
        }
        keys = JWTKeyCollection()
        await keys.add(hmac: SharedSecret.key(secret), digestAlgorithm: .sha256)
        issuer = auth.issuer
        audience = auth.audience
        leeway = Int64(auth.leewaySeconds)
        cache = VerdictCache(capacity: cacheCapacity)
        self.revoked = revoked
    }

    /// The `jti`s revoked so far, to carry over to a verifier built from a reloaded configuration.
    public var revokedTokenIDs: Set<String> { revoked }

    /// The principal for a token (`Bearer ` prefix allowed), or an `AUTHENTICATION_FAILED` /
    /// `TOKEN_EXPIRED` error.
    public func verify(_ presented: String, now: Int64 = Clock.wallMilliseconds() / 1000) async throws -> Principal {
        let token = presented.hasPrefix("Bearer ") ? String(presented.dropFirst(7)) : presented
        if let cached = cache.lookup(token) {
            return try check(cached, now: now)
        }
        let claims: TokenClaims
        do {
            claims = try await keys.verify(token, as: TokenClaims.self)
        } catch {
            throw HeraldError(.authenticationFailed, "Invalid token")
        }
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

/// A bounded map from token text to its verified claims; the oldest entry goes first when full.
struct VerdictCache {
    let capacity: Int
    private var entries: [String: TokenClaims] = [:]
    private var order: [String] = []
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    func lookup(_ token: String) -> TokenClaims? { entries[token] }

    mutating func store(_ token: String, _ claims: TokenClaims) {
        guard entries.updateValue(claims, forKey: token) == nil else { return }
        order.append(token)
        if entries.count > capacity {
            entries.removeValue(forKey: order[head])
            head += 1
            if head > capacity {
                order.removeFirst(head)
                head = 0
            }
        }
    }
}
