import HeraldWire
import NIOCore

extension ByteBuffer {
    /// Writes a webhook body: `{"time_ms":…,"events":[…]}`. The bytes written are the bytes signed and sent.
    public mutating func writeWebhookBody(timeMilliseconds: Int64, events: [WebhookEvent]) {
        writeStaticString(#"{"time_ms":"#)
        writeJSONNumber(timeMilliseconds)
        writeStaticString(#","events":"#)
        writeJSONArray(events) { buffer, event in buffer.writeWebhookEvent(event) }
        writeStaticString("}")
    }

    /// Writes one event object: `name`, `channel`, then whichever of `user_id`, `event`, `data`, `socket_id` it
    /// has.
    public mutating func writeWebhookEvent(_ event: WebhookEvent) {
        writeStaticString(#"{"name":"#)
        writeJSONString(event.name.rawValue)
        writeStaticString(#","channel":"#)
        writeJSONString(event.channel)
        if let userID = event.userID {
            writeStaticString(#","user_id":"#)
            writeJSONString(userID)
        }
        if let name = event.event {
            writeStaticString(#","event":"#)
            writeJSONString(name)
        }
        if let data = event.data {
            writeStaticString(#","data":"#)
            writeJSONRaw(data)
        }
        if let socketID = event.socketID {
            writeStaticString(#","socket_id":"#)
            writeJSONString(socketID)
        }
        writeStaticString("}")
    }
}
