import HeraldModel
import JWTKit

/// Mints HS256 tokens with the configured secret, for development and tests (`heraldctl token`).
public enum TokenIssuer {
    public static func issue(
        secret: String, subject: String, roles: [String], name: String? = nil, ttlSeconds: Int64 = 3600,
        issuer: String? = nil, audience: String? = nil, channels: [String]? = nil, info: ClaimValue? = nil,
        now: Int64 = Clock.wallMilliseconds() / 1000
    ) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: SharedSecret.key(secret), digestAlgorithm: .sha256)
        var claims = TokenClaims(
            sub: subject, roles: roles, name: name, exp: now + ttlSeconds, iat: now, iss: issuer,
            aud: audience.map { [$0] }, jti: "tok_" + EventID.generate().rawValue.dropFirst(4),
            channels: channels, info: info)
        if roles.count == 1 { claims.role = roles[0] }
        return try await keys.sign(claims)
    }
}
