import HeraldModel
import HeraldWire
import NIOCore

/// A principal as `authorize-connect` answers it and `authorize-subscribe` carries it:
/// `{"channels":[…],"expires_at"?:…,"info"?:"<JSON text>","name"?:…,"roles":[…],"token_id"?:…,"user_id":…}`.
extension Principal: StageCodable {
    public static var stageName: String { "principal" }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"channels":"#)
        buffer.writeJSONArray(channels) { $0.writeJSONString($1) }
        if let expiresAt {
            buffer.writeStaticString(#","expires_at":"#)
            buffer.writeJSONNumber(expiresAt)
        }
        if let info {
            buffer.writeStaticString(#","info":"#)
            buffer.writeJSONString(info)
        }
        if let name {
            buffer.writeStaticString(#","name":"#)
            buffer.writeJSONString(name)
        }
        buffer.writeStaticString(#","roles":"#)
        buffer.writeJSONArray(roles) { $0.writeJSONString($1) }
        if let tokenID {
            buffer.writeStaticString(#","token_id":"#)
            buffer.writeJSONString(tokenID)
        }
        buffer.writeStaticString(#","user_id":"#)
        buffer.writeJSONString(userID)
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(
            userID: try fields.string("user_id"), roles: try fields.strings("roles", required: true),
            name: try fields.optionalString("name"), expiresAt: try fields.optionalInt64("expires_at"),
            tokenID: try fields.optionalString("token_id"), channels: try fields.strings("channels", required: true))
        info = try fields.optionalString("info")
    }
}
