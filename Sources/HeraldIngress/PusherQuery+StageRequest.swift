import HeraldDaemonKit
import NIOCore

extension PusherQuery.Question {
    /// The stage request that asks the edges this question (through the authorizer and the batcher).
    var stageRequest: (method: String, params: ByteBuffer) {
        switch self {
        case .channels(let prefix, let userCount):
            let query = StageRequests.ChannelsQuery(prefix: prefix, users: userCount ? true : nil)
            return (StageRequests.channelsQuery, StageRequests.encode(query))
        case .channel(let channel, _, let userCount):
            let query = StageRequests.ChannelsQuery(channel: channel, users: userCount ? true : nil)
            return (StageRequests.channelsQuery, StageRequests.encode(query))
        case .users(let channel):
            let query = StageRequests.ChannelsQuery(channel: channel, users: true)
            return (StageRequests.channelsQuery, StageRequests.encode(query))
        case .terminateConnections(let userID):
            return (StageRequests.terminateUser, StageRequests.encode(StageRequests.TerminateUser(userID: userID)))
        }
    }

    /// The HTTP answer to the merged answer of the edges.
    func response(to answer: ByteBuffer) throws -> IngressResponse {
        switch self {
        case .channels(_, let userCount):
            let states = try StageRequests.decode(StageRequests.ChannelStates.self, from: answer)
            return .pusherChannels(states, userCount: userCount)
        case .channel(let channel, let subscriptionCount, let userCount):
            let states = try StageRequests.decode(StageRequests.ChannelStates.self, from: answer)
            return .pusherChannel(states.channels[channel], subscriptionCount: subscriptionCount, userCount: userCount)
        case .users(let channel):
            let states = try StageRequests.decode(StageRequests.ChannelStates.self, from: answer)
            return .pusherUsers(states.channels[channel]?.users ?? [])
        case .terminateConnections:
            _ = try StageRequests.decode(StageRequests.TerminatedConnections.self, from: answer)
            return .pusherEmpty
        }
    }
}
