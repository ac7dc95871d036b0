import HeraldDaemonKit
import HeraldWire
import NIOCore

extension IngressResponse {
    /// 200 for `GET /apps/{appId}/channels`: `{"channels":{"<name>":{}, …}}`, each `{"user_count":n}` when asked.
    static func pusherChannels(_ states: StageRequests.ChannelStates, userCount: Bool) -> IngressResponse {
        var body = ByteBuffer()
        body.writeStaticString(#"{"channels":{"#)
        for (index, name) in states.channels.keys.sorted().enumerated() {
            if index > 0 { body.writeStaticString(",") }
            body.writeJSONString(name)
            if userCount {
                body.writeStaticString(#":{"user_count":"#)
                body.writeString(String(states.channels[name]?.users?.count ?? 0))
                body.writeStaticString("}")
            } else {
                body.writeStaticString(":{}")
            }
        }
        body.writeStaticString("}}")
        return IngressResponse(status: .ok, body: body)
    }

    /// 200 for `GET /apps/{appId}/channels/{channel}`: `{"occupied":true, …}` with the counts asked for, or
    /// `{"occupied":false}`.
    static func pusherChannel(
        _ state: StageRequests.ChannelState?, subscriptionCount: Bool, userCount: Bool
    ) -> IngressResponse {
        var body = ByteBuffer()
        guard let state, state.subscriptionCount > 0 else {
            body.writeStaticString(#"{"occupied":false}"#)
            return IngressResponse(status: .ok, body: body)
        }
        body.writeStaticString(#"{"occupied":true"#)
        if subscriptionCount {
            body.writeStaticString(#","subscription_count":"#)
            body.writeString(String(state.subscriptionCount))
        }
        if userCount {
            body.writeStaticString(#","user_count":"#)
            body.writeString(String(state.users?.count ?? 0))
        }
        body.writeStaticString("}")
        return IngressResponse(status: .ok, body: body)
    }

    /// 200 for `GET /apps/{appId}/channels/{channel}/users`: `{"users":[{"id":"1"}, …]}`.
    static func pusherUsers(_ users: [String]) -> IngressResponse {
        var body = ByteBuffer()
        body.writeStaticString(#"{"users":["#)
        for (index, id) in users.enumerated() {
            body.writeStaticString(index == 0 ? #"{"id":"# : #",{"id":"#)
            body.writeJSONString(id)
            body.writeStaticString("}")
        }
        body.writeStaticString("]}")
        return IngressResponse(status: .ok, body: body)
    }

    /// 200 `{}`, Pusher's answer to `terminate_connections`.
    static var pusherEmpty: IngressResponse {
        IngressResponse(status: .ok, body: ByteBuffer(string: "{}"))
    }
}
