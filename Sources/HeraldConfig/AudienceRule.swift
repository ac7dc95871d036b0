import HeraldModel

/// One entry of `events.audiences`: who receives events whose name matches `pattern`, on the channels of
/// `events.audience_channels`.
///
/// A connection is admitted by holding one of `roles`, or by being the owner the event's `data` names under
/// `ownerField`, or by holding one of the roles the `data` field `targetRolesField` lists for that event. A rule
/// with no `roles` admits everyone.
public struct AudienceRule: Sendable, Equatable {
    /// Event name, or a pattern where `*` matches any run of characters (`order:*`).
    public var pattern: String
    /// The roles that receive matching events; `nil` for everyone.
    public var roles: [String]?
    /// The `data` field holding the owning user's id (`customerId`); a string or an integer.
    public var ownerField: String?
    /// The roles an owner holds. A publisher that narrows an event to `roles` keeps the owner only when it
    /// names one of these; `nil` drops the owner then.
    public var ownerRoles: [String]?
    /// The `data` field that may list more roles to receive the event (`targetRoles`); a value that is not a list
    /// of strings adds none.
    public var targetRolesField: String?

    public init(
        _ pattern: String, roles: [String]?, ownerField: String? = nil, ownerRoles: [String]? = nil,
        targetRolesField: String? = nil
    ) {
        self.pattern = pattern
        self.roles = roles
        self.ownerField = ownerField
        self.ownerRoles = ownerRoles
        self.targetRolesField = targetRolesField
    }

    public var glob: GlobPattern { GlobPattern(pattern) }

    /// The seed access matrix.
    public static let seed: [AudienceRule] = [
        AudienceRule("order:*", roles: staff, ownerField: "customerId", ownerRoles: ["customer"]),
        AudienceRule("customer:*", roles: staff),
        AudienceRule("product:*", roles: nil),
        AudienceRule("inventory:*", roles: staff),
        AudienceRule("payment:*", roles: ["admin", "manager"], ownerField: "customerId", ownerRoles: ["customer"]),
        AudienceRule("system:*", roles: ["admin"], targetRolesField: "targetRoles"),
    ]

    /// The channels the seed matrix applies on: the namespace channels.
    public static let seedChannels = ["orders", "customers", "inventory", "payments", "system"]

    private static let staff = ["admin", "manager", "staff"]
}

extension AudienceRule {
    static let keys = ["pattern", "roles", "owner_field", "owner_roles", "target_roles_field"]

    static func read(_ node: ConfigNode, at path: String, with reader: inout ConfigReader) -> AudienceRule? {
        guard let fields = reader.fields(node, at: path, known: keys) else { return nil }
        let pattern = reader.requiredString(fields, "pattern")
        let roles = fields["roles"] == nil ? nil : reader.stringList(fields, "roles", default: [])
        let ownerField = reader.optionalString(fields, "owner_field", default: nil)
        let ownerRoles = fields["owner_roles"] == nil ? nil : reader.stringList(fields, "owner_roles", default: [])
        if ownerRoles != nil, ownerField == nil {
            reader.report(
                fields.path("owner_roles"), "needs owner_field, the data field naming the owner", line: fields.line)
        }
        let targetRolesField = reader.optionalString(fields, "target_roles_field", default: nil)
        guard let pattern else { return nil }
        return AudienceRule(
            pattern, roles: roles, ownerField: ownerField, ownerRoles: ownerRoles, targetRolesField: targetRolesField)
    }
}
