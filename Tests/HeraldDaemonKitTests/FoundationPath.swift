import HeraldDaemonKit
import NIOCore

/// The Foundation path of `StageRequests`: inside these generic functions only `Encodable` and `Decodable`
/// are known, so the calls resolve to the `JSONEncoder` and `JSONDecoder` overloads even for `StageCodable`
/// types. The hand codec is checked against them.
enum FoundationPath {
    static func encode<Value: Encodable>(_ value: Value) -> ByteBuffer { StageRequests.encode(value) }

    static func decode<Value: Decodable>(_ type: Value.Type, from buffer: ByteBuffer) throws -> Value {
        try StageRequests.decode(type, from: buffer)
    }
}
