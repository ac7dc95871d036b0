import HeraldWire
import NIOCore

extension BatcherService {
    /// A client's event (an edge marked it `client`) is a `client_event` webhook on each of its channels, once per
    /// event id: `event`, `data` as a string holding its JSON (as Pusher sends it), the sender's `user_id` when it
    /// has one and its connection as `socket_id`.
    func reportClientEvent(_ event: WireEvent) {
        guard event.isClientEvent, let webhooks else { return }
        var data = ByteBuffer()
        if event.data.readableBytesView.first == UInt8(ascii: "\"") {
            data.writeImmutableBuffer(event.data)
        } else {
            data.writeJSONString(event.data.readableBytes > 0 ? String(buffer: event.data) : "null")
        }
        let userID = event.userIDText
        webhooks.emit(
            event.channels.map { channel in
                WebhookEvent(
                    name: .clientEvent, channel: channel, userID: userID, event: event.name, data: data,
                    socketID: event.audience.excludeSocketID)
            })
    }
}
