import HeraldWire
import NIOCore

/// `room-check`: `{"app":…,"room":…}`, answered with `{"exists":true}`.
extension StageRequests.RoomCheck: StageCodable {
    public static var stageName: String { StageRequests.roomCheck }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"app":"#)
        buffer.writeJSONString(app)
        buffer.writeStaticString(#","room":"#)
        buffer.writeJSONString(room)
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(app: try fields.string("app"), room: try fields.string("room"))
    }
}

extension StageRequests.RoomPresence: StageCodable {
    public static var stageName: String { "\(StageRequests.roomCheck) answer" }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"exists":"#)
        buffer.writeJSONBool(exists)
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(exists: try fields.bool("exists"))
    }
}
