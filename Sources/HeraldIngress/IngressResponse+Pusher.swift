import HeraldDaemonKit
import HeraldWire
import NIOCore

extension IngressResponse {
    /// 200 for a Pusher trigger, the answer Pusher's server libraries (Laravel's among them) expect: `{}`.
    public static func pusherTriggered() -> IngressResponse {
        IngressResponse(status: .ok, body: ByteBuffer(string: "{}"))
    }

    /// 200 for a trigger that asked for `info`, from the edges' merged channel states: for `events`,
    /// `{"channels":{"<name>":{"subscription_count":n,"user_count":m}, …}}`; for `batch_events`,
    /// `{"batch":[{…}, …]}`, one object per event (empty for an event that asked for nothing). `user_count`
    /// is given for presence channels only, as Pusher gives it.
    static func pusherTriggered(
        _ endpoint: PusherEndpoint, events: [WireEvent], info: [TriggerInfo?], states: StageRequests.ChannelStates
    ) -> IngressResponse {
        var body = ByteBuffer()
        switch endpoint {
        case .events:
            body.writeStaticString(#"{"channels":{"#)
            let asked = info.first.flatMap { $0 } ?? TriggerInfo()
            for (index, channel) in (events.first?.channels ?? []).enumerated() {
                if index > 0 { body.writeStaticString(",") }
                body.writeJSONString(channel)
                body.writeStaticString(":")
                body.writeAttributes(asked, of: channel, in: states)
            }
            body.writeStaticString("}}")
        case .batchEvents:
            body.writeStaticString(#"{"batch":["#)
            for (index, event) in events.enumerated() {
                if index > 0 { body.writeStaticString(",") }
                body.writeAttributes(info[index] ?? TriggerInfo(), of: event.channels.first ?? "", in: states)
            }
            body.writeStaticString("]}")
        }
        return IngressResponse(status: .ok, body: body)
    }
}

extension ByteBuffer {
    fileprivate mutating func writeAttributes(
        _ asked: TriggerInfo, of channel: String, in states: StageRequests.ChannelStates
    ) {
        let state = states.channels[channel]
        var members: [String] = []
        if asked.subscriptionCount { members.append(#""subscription_count":\#(state?.subscriptionCount ?? 0)"#) }
        if asked.userCount, channel.hasPrefix("presence-") {
            members.append(#""user_count":\#(state?.users?.count ?? 0)"#)
        }
        writeString("{" + members.joined(separator: ",") + "}")
    }
}
