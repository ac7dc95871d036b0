/// Who, among a channel's subscribers, receives an event. Empty options mean everyone.
///
/// `roles` and `owners` together make one grant, "any of these roles, or any of these users": a connection
/// passes it by holding one of the roles or by being one of the owners. Every other option narrows.
public struct Audience: Sendable, Hashable, Codable {
    /// Only connections holding one of these roles, or whose user is one of `owners`.
    public var roles: [String]?
    /// Users admitted by the grant without holding one of `roles`: the owner of an order or a payment. Set by
    /// the authorizer from `events.audiences`; alone (no `roles`) it admits these users only.
    public var owners: [String]?
    /// Only these users.
    public var userIDs: [String]?
    /// Never these users.
    public var excludeUserIDs: [String]?
    /// Never this connection ("to others").
    public var excludeSocketID: String?

    public init(
        roles: [String]? = nil, owners: [String]? = nil, userIDs: [String]? = nil, excludeUserIDs: [String]? = nil,
        excludeSocketID: String? = nil
    ) {
        self.roles = roles
        self.owners = owners
        self.userIDs = userIDs
        self.excludeUserIDs = excludeUserIDs
        self.excludeSocketID = excludeSocketID
    }

    public var isEveryone: Bool {
        roles == nil && owners == nil && userIDs == nil && excludeUserIDs == nil && excludeSocketID == nil
    }

    /// Whether a connection of `principal` (with connection id `socketID`) is in the audience. An anonymous
    /// connection (no principal) is in it unless the audience names roles, owners or users, or excludes its socket.
    public func admits(_ principal: Principal?, socketID: String) -> Bool {
        if let excludeSocketID, excludeSocketID == socketID { return false }
        guard let principal else { return roles == nil && owners == nil && userIDs == nil }
        if let excludeUserIDs, excludeUserIDs.contains(principal.userID) { return false }
        if let userIDs, !userIDs.contains(principal.userID) { return false }
        if roles == nil && owners == nil { return true }
        if let roles, roles.contains(where: principal.roles.contains) { return true }
        if let owners, owners.contains(principal.userID) { return true }
        return false
    }
}
