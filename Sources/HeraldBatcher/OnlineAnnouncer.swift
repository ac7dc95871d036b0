import HeraldConfig

/// Which `events.online_events` a user's comings and goings call for. A user comes online with its first
/// connection anywhere and goes offline once its last one has been gone for the grace (the batcher's presence on
/// `StageRequests.onlineChannel`); a rule applies when the user held its role on arrival, and its offline event
/// follows exactly when its online event went out. Pure.
struct OnlineAnnouncer: Sendable {
    struct Announcement: Sendable, Hashable {
        var rule: OnlineEventRule
        var userID: String
        var isOnline: Bool
    }

    let rules: [OnlineEventRule]
    /// The rules each online user's arrival was announced under.
    private var announced: [String: [OnlineEventRule]] = [:]

    init(rules: [OnlineEventRule]) {
        self.rules = rules
    }

    var onlineCount: Int { announced.count }

    mutating func arrived(_ userID: String, roles: [String]) -> [Announcement] {
        let matching = rules.filter { roles.contains($0.role) }
        guard !matching.isEmpty, announced[userID] == nil else { return [] }
        announced[userID] = matching
        return matching.map { Announcement(rule: $0, userID: userID, isOnline: true) }
    }

    mutating func left(_ userID: String) -> [Announcement] {
        (announced.removeValue(forKey: userID) ?? []).map { Announcement(rule: $0, userID: userID, isOnline: false) }
    }
}
