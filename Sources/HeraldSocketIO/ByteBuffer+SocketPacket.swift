import HeraldWire
import NIOCore

/// Socket.IO packets written as complete Engine.IO message text (`4` + the packet): exactly what goes into a
/// WebSocket text frame, or into a polling payload between separators.
extension ByteBuffer {
    /// Writes the CONNECT answer: `40{"sid":"…"}`, or `40/rooms/x,{"sid":"…","pid":"…"}` with a namespace and
    /// a private session id for connection state recovery. Returns the number of bytes written.
    @discardableResult
    public mutating func writeSocketConnect(
        sid: String, namespace: SocketNamespace = .main, pid: String? = nil
    ) -> Int {
        let start = writerIndex
        writeSocketHeader(.connect, namespace: namespace)
        writeStaticString(#"{"sid":"#)
        writeJSONString(sid)
        if let pid {
            writeStaticString(#","pid":"#)
            writeJSONString(pid)
        }
        writeStaticString("}")
        return writerIndex - start
    }

    /// Writes a CONNECT_ERROR: `44{"message":"…"}`, or `44/rooms/x,{"message":"…","data":{…}}` when `data` (raw
    /// JSON) is given. Returns the number of bytes written.
    @discardableResult
    public mutating func writeSocketConnectError(
        message: String, data: ByteBuffer? = nil, namespace: SocketNamespace = .main
    ) -> Int {
        let start = writerIndex
        writeSocketHeader(.connectError, namespace: namespace)
        writeStaticString(#"{"message":"#)
        writeJSONString(message)
        if let data {
            writeStaticString(#","data":"#)
            writeJSONValueOrNull(data)
        }
        writeStaticString("}")
        return writerIndex - start
    }

    /// Writes an EVENT: `42["name",arg,…]`, with `42/ns,` before the array for another namespace and the ack id
    /// right before the array when one is asked for. `arguments` are raw JSON values. Returns the number of bytes
    /// written.
    @discardableResult
    public mutating func writeSocketEvent(
        name: String, arguments: [ByteBuffer] = [], namespace: SocketNamespace = .main, ackID: SocketAckID? = nil
    ) -> Int {
        let start = writerIndex
        writeSocketHeader(.event, namespace: namespace, ackID: ackID)
        writeStaticString("[")
        writeJSONString(name)
        for argument in arguments {
            writeStaticString(",")
            writeJSONValueOrNull(argument)
        }
        writeStaticString("]")
        return writerIndex - start
    }

    /// Writes an ACK: `43<id>[arg,…]` (`43/ns,<id>[…]` for another namespace). `arguments` are raw JSON values.
    /// Returns the number of bytes written.
    @discardableResult
    public mutating func writeSocketAck(
        ackID: SocketAckID, arguments: [ByteBuffer] = [], namespace: SocketNamespace = .main
    ) -> Int {
        let start = writerIndex
        writeSocketHeader(.ack, namespace: namespace, ackID: ackID)
        writeStaticString("[")
        for (index, argument) in arguments.enumerated() {
            if index > 0 { writeStaticString(",") }
            writeJSONValueOrNull(argument)
        }
        writeStaticString("]")
        return writerIndex - start
    }

    /// Writes a DISCONNECT: `41`, or `41/ns,`. Returns the number of bytes written.
    @discardableResult
    public mutating func writeSocketDisconnect(namespace: SocketNamespace = .main) -> Int {
        let start = writerIndex
        writeSocketHeader(.disconnect, namespace: namespace)
        return writerIndex - start
    }

    /// `4`, the type digit, `<namespace>,` unless it is the main one, and the ack id.
    mutating func writeSocketHeader(_ type: SocketPacketType, namespace: SocketNamespace, ackID: SocketAckID? = nil) {
        writeInteger(EnginePacketType.message.digit)
        writeInteger(type.digit)
        if !namespace.isMain {
            writeString(namespace.path)
            writeStaticString(",")
        }
        if let ackID { writeJSONNumber(ackID.value) }
    }

    /// Raw JSON bytes, or `null` for an empty buffer.
    mutating func writeJSONValueOrNull(_ raw: ByteBuffer) {
        if raw.readableBytes == 0 {
            writeStaticString("null")
        } else {
            writeJSONRaw(raw)
        }
    }
}
