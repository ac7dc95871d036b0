import HeraldWire
import NIOCore

/// The small JSON values the edge sends Socket.IO clients as event and acknowledgement arguments
/// (`{"channel":"…","status":"success"}`), written straight into a buffer.
public indirect enum SocketValue: Sendable, Hashable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case null
    /// JSON bytes taken as they are (a client's own value echoed back).
    case raw(ByteBuffer)
    case array([SocketValue])
    /// Members in the order given.
    case object([Member])

    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: SocketValue
        public init(_ key: String, _ value: SocketValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value as JSON bytes.
    public var json: ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeSocketValue(self)
        return buffer
    }
}

extension ByteBuffer {
    mutating func writeSocketValue(_ value: SocketValue) {
        switch value {
        case .string(let text): writeJSONString(text)
        case .bool(let flag): writeString(flag ? "true" : "false")
        case .int(let number): writeJSONNumber(number)
        case .null: writeStaticString("null")
        case .raw(let bytes): writeJSONRaw(bytes)
        case .array(let items):
            writeStaticString("[")
            for (index, item) in items.enumerated() {
                if index > 0 { writeStaticString(",") }
                writeSocketValue(item)
            }
            writeStaticString("]")
        case .object(let members):
            writeStaticString("{")
            for (index, member) in members.enumerated() {
                if index > 0 { writeStaticString(",") }
                writeJSONString(member.key)
                writeStaticString(":")
                writeSocketValue(member.value)
            }
            writeStaticString("}")
        }
    }
}
