import HeraldModel
import HeraldWire
import NIOCore

/// A channel position as the `interest` answer carries it: `{"epoch":…,"offset":…}`.
extension ChannelPosition: StageCodable {
    public static var stageName: String { "channel position" }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"epoch":"#)
        buffer.writeJSONString(epoch)
        buffer.writeStaticString(#","offset":"#)
        buffer.writeJSONNumber(offset)
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(epoch: try fields.string("epoch"), offset: try fields.int64("offset"))
    }
}
