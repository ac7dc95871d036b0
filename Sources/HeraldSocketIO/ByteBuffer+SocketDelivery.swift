import HeraldModel
import HeraldWire
import NIOCore

extension ByteBuffer {
    /// Writes `event` as the Socket.IO EVENT every subscriber of its channel receives, as complete Engine.IO
    /// message text:
    ///
    ///     42["<name>",<data>,{"id":"…","channel":"…","timestamp":"…","priority":"…","user_id":…,"offset":…},"<cursor>"]
    ///
    /// `42/ns,[…]` for another namespace. `data` is the publisher's raw JSON (`null` when empty); `user_id` (raw)
    /// and `offset` are left out when absent, and `channel` is `null` for an event naming no channel. The cursor
    /// (`SocketRecoveryCursor`), the offset socket.io-client sends back to recover, is left out for an event the
    /// batcher did not number. Encode it
    /// once per event and share the buffer among subscribers. Returns the number of bytes written.
    @discardableResult
    public mutating func writeSocketDelivery(_ event: WireEvent, namespace: SocketNamespace = .main) -> Int {
        let start = writerIndex
        reserveCapacity(minimumWritableBytes: Self.deliveryCapacity(event, namespace: namespace))
        writeSocketHeader(.event, namespace: namespace)
        writeStaticString("[")
        writeJSONString(event.name)
        writeStaticString(",")
        writeJSONValueOrNull(event.data)
        writeStaticString(#",{"id":"#)
        writeJSONString(event.id.rawValue)
        writeStaticString(#","channel":"#)
        if let channel = event.channels.first {
            writeJSONString(channel)
        } else {
            writeStaticString("null")
        }
        writeStaticString(#","timestamp":"#)
        writeJSONString(event.timestamp)
        writePriorityMember(event.priority)
        writeUserIDMember(event.userID)
        if let offset = event.offset {
            writeStaticString(#","offset":"#)
            writeJSONNumber(offset)
        }
        writeStaticString("}")
        if let cursor = SocketRecoveryCursor(event) {
            // Last argument, a string: socket.io-client keeps it as the offset it sends back on reconnect.
            writeStaticString(",")
            writeJSONString(cursor.text)
        }
        writeStaticString("]")
        return writerIndex - start
    }

    /// Enough room for the whole delivery in one allocation: the variable parts, escaping slack, and the fixed
    /// keys and punctuation.
    private static func deliveryCapacity(_ event: WireEvent, namespace: SocketNamespace) -> Int {
        let text =
            event.name.utf8.count + event.id.rawValue.utf8.count + (event.channels.first?.utf8.count ?? 4)
            + event.timestamp.utf8.count
        let raw = event.data.readableBytes + (event.userID?.readableBytes ?? 0)
        return text + text / 8 + raw + namespace.path.utf8.count + 160
    }
}
