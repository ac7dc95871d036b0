import HeraldModel
import HeraldWire
import NIOCore

/// `authorize-connect`: `{"connection"?:…,"token":…}`, answered with `{"principal":{…}}`.
extension StageRequests.AuthorizeConnect: StageCodable {
    public static var stageName: String { StageRequests.authorizeConnect }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "{"))
        if let connection {
            buffer.writeStaticString(#""connection":"#)
            buffer.writeJSONString(connection)
            buffer.writeInteger(UInt8(ascii: ","))
        }
        buffer.writeStaticString(#""token":"#)
        buffer.writeJSONString(token)
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(token: try fields.string("token"), connection: try fields.optionalString("connection"))
    }
}

extension StageRequests.ConnectVerdict: StageCodable {
    public static var stageName: String { "\(StageRequests.authorizeConnect) answer" }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"principal":"#)
        principal.encode(into: &buffer)
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(principal: try Principal(fields: try fields.requiredFields("principal")))
    }
}
