import HeraldDaemonKit

/// This edge's answer to `channels-query`, read from its channel table and presence roster. Pure.
enum ChannelReport {
    /// The occupied channels `query` covers, each with its subscription count and, when `query.users` is set
    /// and the channel has presence members here, their user ids, sorted.
    static func answer(
        _ query: StageRequests.ChannelsQuery, table: ChannelTable, roster: PresenceRoster
    ) -> StageRequests.ChannelStates {
        let names: [String]
        if let channel = query.channel {
            names = [channel]
        } else {
            names = table.channels.filter(query.covers)
        }
        var channels: [String: StageRequests.ChannelState] = [:]
        for name in names where query.covers(name) {
            let count = table.subscriptionCount(of: name)
            guard count > 0 else { continue }
            var state = StageRequests.ChannelState(subscriptionCount: count)
            if query.users == true {
                let members = roster.members(of: name)
                if !members.isEmpty { state.users = members.map(\.userID).sorted() }
            }
            channels[name] = state
        }
        return StageRequests.ChannelStates(channels: channels)
    }
}
