extension StageRequests {
    /// Authorizer → every connected edge, on the connection the edge opened to the authorizer's `input`.
    public static let revokeToken = "revoke-token"

    /// `revoke-token {token_id}` → `TerminatedConnections`: the edge closes every connection whose principal
    /// has this `token_id` (the token's `jti`) with `AUTHENTICATION_FAILED`.
    public struct RevokeToken: Codable, Sendable, Hashable {
        public var tokenID: String

        public init(tokenID: String) { self.tokenID = tokenID }

        enum CodingKeys: String, CodingKey { case tokenID = "token_id" }
    }
}
