import HeraldModel
import HeraldWire
import NIOCore

/// `interest`: `{"add":[{"channel":…,"epoch"?:…,"offset"?:…}],"remove":[…],"reset"?:…}`, answered with
/// `{"positions":{channel:{"epoch":…,"offset":…}}}`.
extension StageRequests.InterestChange: StageCodable {
    public static var stageName: String { StageRequests.interest }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"add":"#)
        buffer.writeJSONArray(add) { buffer, entry in entry.encode(into: &buffer) }
        buffer.writeStaticString(#","remove":"#)
        buffer.writeJSONArray(remove) { $0.writeJSONString($1) }
        if let reset {
            buffer.writeStaticString(#","reset":"#)
            buffer.writeJSONBool(reset)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(
            reset: try fields.optionalBool("reset"),
            add: try fields.objects("add", required: true) { try Entry(fields: $0) },
            remove: try fields.strings("remove", required: true))
    }
}

extension StageRequests.InterestChange.Entry: StageCodable {
    public static var stageName: String { "\(StageRequests.interest) entry" }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"channel":"#)
        buffer.writeJSONString(channel)
        if let epoch {
            buffer.writeStaticString(#","epoch":"#)
            buffer.writeJSONString(epoch)
        }
        if let offset {
            buffer.writeStaticString(#","offset":"#)
            buffer.writeJSONNumber(offset)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(
            channel: try fields.string("channel"), epoch: try fields.optionalString("epoch"),
            offset: try fields.optionalInt64("offset"))
    }
}

extension StageRequests.InterestPositions: StageCodable {
    public static var stageName: String { "\(StageRequests.interest) answer" }

    /// Channels in the UTF-8 order of their names, as Foundation's `.sortedKeys` wrote them.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"positions":{"#)
        let sorted = positions.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (index, member) in sorted.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeJSONString(member.key)
            buffer.writeInteger(UInt8(ascii: ":"))
            member.value.encode(into: &buffer)
        }
        buffer.writeStaticString("}}")
    }

    public init(fields: WireFields) throws {
        let table = try fields.requiredFields("positions")
        var positions: [String: ChannelPosition] = [:]
        positions.reserveCapacity(table.object.count)
        for member in table.object.members {
            guard member.value.kind == .object else { throw table.invalid(member.key, "must be an object") }
            positions[member.key] = try ChannelPosition(
                fields: WireFields(try member.value.object(), path: table.name(member.key)))
        }
        self.init(positions: positions)
    }
}
