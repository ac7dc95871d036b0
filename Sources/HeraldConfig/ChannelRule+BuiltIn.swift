extension ChannelRule {
    /// The rules checked after `channels.rules`: the seed channel strategy, row by row. A channel none of them
    /// matches is refused. docs/configuration.md lists them in the same order.
    public static let builtIn: [ChannelRule] = [
        // The user's own channels.
        ChannelRule(pattern: "user.{id}", allow: ["self"]),
        ChannelRule(pattern: "user.{id}.messages", allow: ["self"]),
        ChannelRule(pattern: "user.{id}.orders", allow: ["self"]),
        ChannelRule(pattern: "user.{id}.following", allow: ["self"]),
        ChannelRule(pattern: "private-user.{id}", allow: ["self"]),
        ChannelRule(pattern: "following.{id}", allow: ["self"]),
        // Forums: the role channels.required_roles sets, or every signed-in user.
        ChannelRule(pattern: "thread.{id}", allow: ["required_role"]),
        ChannelRule(pattern: "forum.{id}", allow: ["required_role"]),
        ChannelRule(pattern: "presence-thread.{id}", allow: ["required_role"]),
        // Public channels.
        ChannelRule(pattern: "marketplace.global", allow: ["anyone"]),
        ChannelRule(pattern: "product.{id}", allow: ["anyone"]),
        ChannelRule(pattern: "showcase.{id}", allow: ["anyone"]),
        ChannelRule(pattern: "public.*", allow: ["anyone"]),
        ChannelRule(pattern: "products", allow: ["anyone"]),
        // Conversations and rooms: the backend decides, or a token grants them.
        ChannelRule(pattern: "conversation.{id}", allow: ["token", "hook"]),
        ChannelRule(pattern: "room.{roomId}", allow: ["token", "hook"]),
        // Staff channels.
        ChannelRule(pattern: "admin.notifications", allow: ["admin"]),
        ChannelRule(pattern: "moderator.reports", allow: ["moderator"]),
        ChannelRule(pattern: "seller.{id}", allow: ["seller+self"]),
        // Namespaces: the roles with any access in the event audience matrix.
        ChannelRule(pattern: "orders", allow: ["admin", "manager", "staff", "customer"]),
        ChannelRule(pattern: "payments", allow: ["admin", "manager", "staff", "customer"]),
        ChannelRule(pattern: "customers", allow: ["admin", "manager", "staff"]),
        ChannelRule(pattern: "inventory", allow: ["admin", "manager", "staff"]),
        ChannelRule(pattern: "system", allow: ["admin"]),
    ]
}
