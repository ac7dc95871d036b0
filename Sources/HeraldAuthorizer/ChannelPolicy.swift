import HeraldModel

/// Decides who may subscribe to a channel. The seam for the full rule table, the role hierarchy and the
/// backend auth hook (docs/configuration.md); `SeedChannelPolicy` is the first slice.
public protocol ChannelPolicy: Sendable {
    func maySubscribe(_ principal: Principal, to channel: String) -> Bool
}

/// Public channels, the user's own channels, and what the token's `channels` claim grants.
///
/// - Anyone connected: `marketplace.global`, `products`, `product.{id}`, `showcase.{id}`, `public.*`, and
///   `thread.{id}` / `forum.{id}` (open to every authenticated user until a forum table or hook says more).
/// - Only the user whose id is `{id}`: `user.{id}`, `user.{id}.messages|orders|following`,
///   `private-user.{id}`, `following.{id}`.
/// - The token's `channels` claim: exact names, or prefixes ending in `.*`.
public struct SeedChannelPolicy: ChannelPolicy {
    public init() {}

    public func maySubscribe(_ principal: Principal, to channel: String) -> Bool {
        if Self.isPublic(channel) { return true }
        if let owner = Self.owner(of: channel) { return owner == principal.userID }
        return principal.channels.contains { pattern in
            pattern.hasSuffix(".*") ? channel.hasPrefix(pattern.dropLast()) : pattern == channel
        }
    }

    static func isPublic(_ channel: String) -> Bool {
        if channel == "marketplace.global" || channel == "products" { return true }
        if channel.hasPrefix("public.") { return true }
        for prefix in ["product.", "showcase.", "thread.", "forum."] where channel.hasPrefix(prefix) {
            let id = channel.dropFirst(prefix.count)
            return !id.isEmpty && !id.contains(".")
        }
        return false
    }

    /// The user id a personal channel belongs to, or nil when the channel is not personal.
    static func owner(of channel: String) -> String? {
        for prefix in ["private-user.", "following.", "user."] where channel.hasPrefix(prefix) {
            let rest = channel.dropFirst(prefix.count)
            let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
            guard let id = parts.first, !id.isEmpty else { return nil }
            switch parts.count {
            case 1: return String(id)
            case 2 where prefix == "user." && ["messages", "orders", "following"].contains(String(parts[1])):
                return String(id)
            default: return nil
            }
        }
        return nil
    }
}
