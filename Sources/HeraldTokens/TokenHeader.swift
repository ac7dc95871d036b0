import Foundation

/// The two header members that decide how a token is checked: `alg` and `kid`. Read before any signature
/// check, so that the algorithm is pinned by the configuration and never chosen by the token.
struct TokenHeader: Sendable, Hashable {
    /// The header's `alg` exactly as written (`none`, `HS256`, …).
    var algorithm: String
    /// The header's `kid`, when present.
    var keyID: String?

    /// Reads the header of a compact JWS (`header.payload.signature`); nil when it is not one.
    init?(token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let json = Self.base64URLDecoded(parts[0]),
            let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
            let algorithm = object["alg"] as? String
        else { return nil }
        self.algorithm = algorithm
        self.keyID = object["kid"] as? String
    }

    init(algorithm: String, keyID: String? = nil) {
        self.algorithm = algorithm
        self.keyID = keyID
    }

    static func base64URLDecoded(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
