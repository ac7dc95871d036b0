import HeraldDaemonKit

/// Puts the edges' answers to one request together: what the HTTP API reports is the sum over every edge that
/// answered. Pure, so the rules are tested without sockets.
enum EdgeAnswerMerge {
    /// Channels: a channel is occupied when any edge has it; subscription counts add up; users are the union of
    /// every edge's, by id (a user with connections on two edges is one user), sorted.
    static func channels(_ answers: [StageRequests.ChannelStates]) -> StageRequests.ChannelStates {
        var counts: [String: Int] = [:]
        var users: [String: Set<String>] = [:]
        for answer in answers {
            for (name, state) in answer.channels {
                counts[name, default: 0] += state.subscriptionCount
                if let present = state.users { users[name, default: []].formUnion(present) }
            }
        }
        var merged: [String: StageRequests.ChannelState] = [:]
        for (name, count) in counts {
            merged[name] = StageRequests.ChannelState(subscriptionCount: count, users: users[name].map { $0.sorted() })
        }
        return StageRequests.ChannelStates(channels: merged, edges: answers.count)
    }

    /// Terminations: the connections every edge closed.
    static func terminations(_ answers: [StageRequests.TerminatedConnections]) -> StageRequests.TerminatedConnections {
        StageRequests.TerminatedConnections(
            connections: answers.reduce(0) { $0 + $1.connections }, edges: answers.count)
    }
}
