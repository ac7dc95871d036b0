import HeraldModel
import JWTKit

/// The claims Herald reads from a client token (docs/protocol.md). `sub` may be a string or a number;
/// `roles` (array) or `role` (string) name the user's roles; `info` (an object) describes the user to the other
/// members of its presence channels, beside `name`.
public struct TokenClaims: JWTPayload, Equatable {
    public var sub: String
    public var roles: [String]?
    public var role: String?
    public var name: String?
    public var exp: Int64?
    public var nbf: Int64?
    public var iat: Int64?
    public var iss: String?
    public var aud: [String]?
    public var jti: String?
    public var channels: [String]?
    public var info: ClaimValue?

    public init(
        sub: String, roles: [String]? = nil, name: String? = nil, exp: Int64? = nil, iat: Int64? = nil,
        iss: String? = nil, aud: [String]? = nil, jti: String? = nil, channels: [String]? = nil,
        info: ClaimValue? = nil
    ) {
        self.sub = sub
        self.roles = roles
        self.name = name
        self.exp = exp
        self.iat = iat
        self.iss = iss
        self.aud = aud
        self.jti = jti
        self.channels = channels
        self.info = info
    }

    enum CodingKeys: String, CodingKey { case sub, roles, role, name, exp, nbf, iat, iss, aud, jti, channels, info }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try? container.decode(String.self, forKey: .sub) {
            sub = text
        } else {
            sub = String(try container.decode(Int64.self, forKey: .sub))
        }
        roles = try container.decodeIfPresent([String].self, forKey: .roles)
        role = try container.decodeIfPresent(String.self, forKey: .role)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        exp = try Self.seconds(container, .exp)
        nbf = try Self.seconds(container, .nbf)
        iat = try Self.seconds(container, .iat)
        iss = try container.decodeIfPresent(String.self, forKey: .iss)
        if let one = try? container.decodeIfPresent(String.self, forKey: .aud) {
            aud = [one]
        } else {
            aud = try container.decodeIfPresent([String].self, forKey: .aud)
        }
        jti = try container.decodeIfPresent(String.self, forKey: .jti)
        channels = try container.decodeIfPresent([String].self, forKey: .channels)
        info = try container.decodeIfPresent(ClaimValue.self, forKey: .info)
    }

    private static func seconds(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Int64? {
        if let whole = try? container.decodeIfPresent(Int64.self, forKey: key) { return whole }
        return try container.decodeIfPresent(Double.self, forKey: key).map { Int64($0) }
    }

    /// Time-based and issuer checks are Herald's own (with leeway), done by `TokenVerifier`.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    public var allRoles: [String] {
        var all = roles ?? []
        if let role, !all.contains(role) { all.append(role) }
        return all
    }

    public var principal: Principal {
        var principal = Principal(
            userID: sub, roles: allRoles, name: name, expiresAt: exp, tokenID: jti, channels: channels ?? [])
        if case .object = info { principal.info = info?.jsonText }
        return principal
    }
}
