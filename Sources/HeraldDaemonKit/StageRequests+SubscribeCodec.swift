import HeraldModel
import HeraldWire
import NIOCore

/// `authorize-subscribe`: `{"channel":…,"principal":{…},"socket_id"?:…,"token"?:…}`, answered with
/// `{"allowed":true}`.
extension StageRequests.AuthorizeSubscribe: StageCodable {
    public static var stageName: String { StageRequests.authorizeSubscribe }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"channel":"#)
        buffer.writeJSONString(channel)
        buffer.writeStaticString(#","principal":"#)
        principal.encode(into: &buffer)
        if let socketID {
            buffer.writeStaticString(#","socket_id":"#)
            buffer.writeJSONString(socketID)
        }
        if let token {
            buffer.writeStaticString(#","token":"#)
            buffer.writeJSONString(token)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(
            principal: try Principal(fields: try fields.requiredFields("principal")),
            channel: try fields.string("channel"), token: try fields.optionalString("token"),
            socketID: try fields.optionalString("socket_id"))
    }
}

extension StageRequests.SubscribeVerdict: StageCodable {
    public static var stageName: String { "\(StageRequests.authorizeSubscribe) answer" }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"allowed":"#)
        buffer.writeJSONBool(allowed)
        if let info {
            buffer.writeStaticString(#","info":"#)
            buffer.writeJSONString(info)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(allowed: try fields.bool("allowed"), info: try fields.optionalString("info"))
    }
}
