import HeraldConfig
import HeraldModel

/// Checks `Authorization: Bearer <api key>` against `api_keys`.
///
/// Keys are compared in constant time, and every configured key is compared on every request, so neither the
/// time taken nor which entry matched tells an attacker how much of a guess was right.
public struct BearerAuthenticator: Sendable {
    public var keys: [APIKey]

    public init(keys: [APIKey]) { self.keys = keys }

    /// The key entry named by an `Authorization` header value, if it grants `scope`.
    ///
    /// - Throws: `AUTHENTICATION_FAILED` when the header is missing, not a bearer token, or an unknown key;
    ///   `PERMISSION_DENIED` when the key lacks `scope`.
    public func authorize(_ authorization: String?, for scope: APIKey.Scope) throws(HeraldError) -> APIKey {
        guard let authorization, let token = Self.bearerToken(authorization) else {
            throw HeraldError(
                .authenticationFailed, "send the API key as 'Authorization: Bearer <key>' (keys are listed in api_keys)"
            )
        }
        var match: APIKey?
        for key in keys where Self.constantTimeEqual(key.key, token) && match == nil {
            match = key
        }
        guard let match else {
            throw HeraldError(.authenticationFailed, "unknown API key; use one listed in api_keys")
        }
        guard match.allows(scope) else {
            throw HeraldError(
                .permissionDenied,
                "this API key lacks the '\(scope.rawValue)' scope; add it to the key's scopes in api_keys")
        }
        return match
    }

    /// The token of `Bearer <token>` (scheme case-insensitive), or `nil`.
    static func bearerToken(_ header: String) -> Substring? {
        let trimmed = header.drop { $0 == " " || $0 == "\t" }
        guard trimmed.utf8.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let token = trimmed.dropFirst(7).drop { $0 == " " }
        let end = token.lastIndex { $0 != " " && $0 != "\t" }
        guard let end else { return nil }
        return token[...end]
    }

    /// Whether two byte strings are equal, in time that depends only on their lengths.
    static func constantTimeEqual(_ expected: String, _ given: Substring) -> Bool {
        var expected = expected
        return expected.withUTF8 { expectedBytes in
            var difference = UInt8(truncatingIfNeeded: expectedBytes.count ^ given.utf8.count)
            difference |= UInt8(expectedBytes.count != given.utf8.count ? 1 : 0)
            var index = 0
            for byte in given.utf8 {
                let other = expectedBytes.isEmpty ? 0 : expectedBytes[index % expectedBytes.count]
                difference |= byte ^ other
                index += 1
            }
            return difference == 0 && !expectedBytes.isEmpty
        }
    }
}
