import Foundation
import HeraldModel
import NIOCore

/// Admin traffic is control traffic: Foundation's coders, inside the same 4-byte length framing the
/// stages use (docs/operations.md shows how to speak it with a few lines of any language).
enum AdminCodec {
    static func encode<Message: Encodable>(_ message: Message, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(message)
        var buffer = allocator.buffer(capacity: data.count + 4)
        buffer.writeInteger(UInt32(data.count))
        buffer.writeBytes(data)
        return buffer
    }

    static func decode<Message: Decodable>(_ type: Message.Type, from payload: ByteBuffer) throws -> Message {
        try JSONDecoder().decode(type, from: Data(payload.readableBytesView))
    }
}
