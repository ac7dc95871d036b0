import Foundation
import HeraldModel
import HeraldTokens

/// A subscription token: a JWT signed like client tokens whose `channel` claim grants exactly that channel to
/// the user in its `sub`, presented with a subscribe. The backend mints one when it decides a user may join a
/// conversation or room.
enum SubscriptionToken {
    /// The channel a token grants to `principal`, after `verifier` has checked its signature, expiry, issuer,
    /// audience and revocation. Throws the verifier's error, or `PERMISSION_DENIED` when the token belongs to
    /// another user or names no channel.
    static func grantedChannel(_ token: String, to principal: Principal, verifier: TokenVerifier) async throws
        -> String
    {
        let holder: Principal
        do {
            holder = try await verifier.verify(token)
        } catch let error as HeraldError {
            throw HeraldError(error.code, "subscription token: \(error.message)")
        }
        guard holder.userID == principal.userID, !principal.userID.isEmpty else {
            throw HeraldError(.permissionDenied, "subscription token: it was issued to another user")
        }
        guard let channel = channelClaim(token) else {
            throw HeraldError(.permissionDenied, "subscription token: it has no \"channel\" claim")
        }
        return channel
    }

    /// The `channel` claim of a token's payload. Read only after the signature has been verified.
    static func channelClaim(_ token: String) -> String? {
        let bare = token.hasPrefix("Bearer ") ? String(token.dropFirst(7)) : token
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["channel"] as? String
    }
}
