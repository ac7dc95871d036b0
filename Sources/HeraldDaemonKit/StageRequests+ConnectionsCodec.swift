import HeraldWire
import NIOCore

/// `connections-closed`: `{"connections":[…]}`, sent as each counted connection ends.
extension StageRequests.ConnectionsClosed: StageCodable {
    public static var stageName: String { StageRequests.connectionsClosed }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"connections":"#)
        buffer.writeJSONArray(connections) { $0.writeJSONString($1) }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(connections: try fields.strings("connections", required: true))
    }
}
