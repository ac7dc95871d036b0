/// Who, among a channel's subscribers, receives an event. Empty options mean everyone.
public struct Audience: Sendable, Hashable, Codable {
    /// Only connections holding one of these roles.
    public var roles: [String]?
    /// Only these users.
    public var userIDs: [String]?
    /// Never these users.
    public var excludeUserIDs: [String]?
    /// Never this connection ("to others").
    public var excludeSocketID: String?

    public init(
        roles: [String]? = nil, userIDs: [String]? = nil, excludeUserIDs: [String]? = nil,
        excludeSocketID: String? = nil
    ) {
        self.roles = roles
        self.userIDs = userIDs
        self.excludeUserIDs = excludeUserIDs
        self.excludeSocketID = excludeSocketID
    }

    public var isEveryone: Bool { roles == nil && userIDs == nil && excludeUserIDs == nil && excludeSocketID == nil }

    /// Whether a connection of `principal` (with connection id `socketID`) is in the audience. An anonymous
    /// connection (no principal) is in it unless the audience names roles or users, or excludes its socket.
    public func admits(_ principal: Principal?, socketID: String) -> Bool {
        if let excludeSocketID, excludeSocketID == socketID { return false }
        guard let principal else { return roles == nil && userIDs == nil }
        if let excludeUserIDs, excludeUserIDs.contains(principal.userID) { return false }
        if let userIDs, !userIDs.contains(principal.userID) { return false }
        if let roles, !roles.contains(where: principal.roles.contains) { return false }
        return true
    }
}
