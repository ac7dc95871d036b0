/// Who a connection is, as established from a verified token.
public struct Principal: Sendable, Hashable, Codable {
    /// The token's `sub`, compared as a string (`123` and `"123"` are the same user).
    public var userID: String
    public var roles: [String]
    public var name: String?
    /// Seconds since the epoch at which the token expires, when it does.
    public var expiresAt: Int64?
    /// The token's `jti`, for revocation.
    public var tokenID: String?
    /// Extra channel patterns from the token's `channels` claim: exact names or prefixes ending in `.*`.
    public var channels: [String]
    /// The token's `info` claim (an object) as JSON text: how the user is described to the other members of its
    /// presence channels, beside `name`.
    public var info: String?

    public init(
        userID: String, roles: [String] = [], name: String? = nil, expiresAt: Int64? = nil, tokenID: String? = nil,
        channels: [String] = []
    ) {
        self.userID = userID
        self.roles = roles
        self.name = name
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.channels = channels
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", roles, name, expiresAt = "expires_at", tokenID = "token_id", channels, info
    }
}
