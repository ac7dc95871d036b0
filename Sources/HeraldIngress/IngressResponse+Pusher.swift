import NIOCore

extension IngressResponse {
    /// 200 for a Pusher trigger, the answer Pusher's server libraries (Laravel's among them) expect: `{}`; with
    /// `info`, `{"channels":{}}` for `events` and `{"batch":[{}, …]}` for `batch_events`, since channel
    /// attributes (subscription and user counts) are held by the edges and not reported yet.
    public static func pusherTriggered(_ endpoint: PusherEndpoint, events: Int, wantsInfo: Bool) -> IngressResponse {
        var body = ByteBuffer()
        switch (endpoint, wantsInfo) {
        case (_, false):
            body.writeStaticString("{}")
        case (.events, true):
            body.writeStaticString(#"{"channels":{}}"#)
        case (.batchEvents, true):
            body.writeStaticString(#"{"batch":["#)
            for index in 0..<events {
                body.writeStaticString(index == 0 ? "{}" : ",{}")
            }
            body.writeStaticString("]}")
        }
        return IngressResponse(status: .ok, body: body)
    }
}
