/// `auth`: how client tokens (JWTs) are verified, and the role hierarchy policies refer to.
public struct AuthConfig: Sendable, Equatable {
    /// The built-in role hierarchy, lowest first.
    public static let defaultRoles = ["guest", "member", "senior_member", "moderator", "admin", "super_admin"]

    /// Shared HS256 secret; `nil` when only public keys are used. Default `"change-me"` (development only).
    /// May come from the systemd credential `jwt_secret` or `HERALD_AUTH_JWT_SECRET`.
    public var jwtSecret: String?
    /// Required `iss` claim; `nil` accepts any. Default `nil`.
    public var issuer: String?
    /// Required `aud` claim; `nil` accepts any. Default `nil`.
    public var audience: String?
    /// Seconds of clock skew tolerated on `exp` and `nbf`. Default 30.
    public var leewaySeconds: Int
    /// Paths of PEM files with RS256/ES256 public keys, tried in order. Default none.
    public var publicKeys: [String]
    /// Role hierarchy, lowest first: a rule admitting a role admits every later one. Default
    /// `guest, member, senior_member, moderator, admin, super_admin`.
    public var roles: [String]
    /// The backend authorization hook. Default: none.
    public var hook: AuthHookConfig

    public init(
        jwtSecret: String? = "change-me", issuer: String? = nil, audience: String? = nil, leewaySeconds: Int = 30,
        publicKeys: [String] = [], roles: [String] = AuthConfig.defaultRoles, hook: AuthHookConfig = AuthHookConfig()
    ) {
        self.jwtSecret = jwtSecret
        self.issuer = issuer
        self.audience = audience
        self.leewaySeconds = leewaySeconds
        self.publicKeys = publicKeys
        self.roles = roles
        self.hook = hook
    }

    /// Where `role` sits in the hierarchy (0 = lowest), or `nil` for a role outside it (`seller`, `staff`).
    public func rank(of role: String) -> Int? { roles.firstIndex(of: role) }
}

extension AuthConfig: ConfigSection {
    static let scalarKeys = ["jwt_secret", "issuer", "audience", "leeway_seconds"]
    static let listKeys = ["public_keys", "roles"]
    static let mappingKeys = ["hook"]

    init(reading fields: ConfigFields, with reader: inout ConfigReader) {
        self.init()
        jwtSecret = reader.optionalString(fields, "jwt_secret", default: jwtSecret)
        issuer = reader.optionalString(fields, "issuer", default: issuer)
        audience = reader.optionalString(fields, "audience", default: audience)
        leewaySeconds = reader.integer(fields, "leeway_seconds", default: leewaySeconds, atLeast: 0)
        publicKeys = reader.stringList(fields, "public_keys", default: publicKeys)
        roles = reader.stringList(fields, "roles", default: roles)
        if let hookFields = reader.fields(fields["hook"], at: fields.path("hook"), known: AuthHookConfig.keys) {
            hook = AuthHookConfig(reading: hookFields, with: &reader)
        }
    }
}
