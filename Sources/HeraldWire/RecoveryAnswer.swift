import HeraldModel
import NIOCore

/// The batcher's answer to an edge's `recover` request: for each channel asked about, its current position and
/// whether the client's position could be recovered, and the events it missed on the recovered channels, in
/// delivery order (by `sequence`).
///
/// `{"channels":[{"channel":…,"epoch":…,"offset":…,"recovered":true|false,"reason"?:…}],"events":[…]}`. The
/// batcher writes the events from the encoded objects its history keeps (`writeRecoveryAnswer`), never
/// re-encoding them.
public struct RecoveryAnswer: Sendable, Hashable {
    /// One channel's verdict.
    public struct Channel: Sendable, Hashable {
        public var channel: String
        /// Where the channel is now: a resume point even when recovery failed.
        public var position: ChannelPosition
        /// Why the position could not be recovered; nil when it was.
        public var refusal: RecoveryRefusal?

        public init(channel: String, position: ChannelPosition, refusal: RecoveryRefusal? = nil) {
            self.channel = channel
            self.position = position
            self.refusal = refusal
        }

        public var recovered: Bool { refusal == nil }
    }

    public var channels: [Channel]
    public var events: [WireEvent]

    public init(channels: [Channel], events: [WireEvent]) {
        self.channels = channels
        self.events = events
    }

    /// Reads an answer; throws a `WireError` naming the member that is wrong.
    public static func decode(_ buffer: ByteBuffer) throws -> RecoveryAnswer {
        let fields = WireFields(try JSONScanner.object(buffer))
        let channels = try fields.array("channels") { item, path in
            guard item.kind == .object else { throw WireError.invalidField(path(), "must be an object") }
            let entry = WireFields(try item.object(), path: path())
            let reason = try entry.optionalString("reason")
            let refusal = try reason.map { text in
                guard let refusal = RecoveryRefusal(rawValue: text) else {
                    throw entry.invalid("reason", "\"\(text)\" is not a recovery refusal")
                }
                return refusal
            }
            guard let offset = try entry.optionalInt64("offset") else { throw entry.invalid("offset", "missing") }
            return Channel(
                channel: try entry.string("channel"),
                position: ChannelPosition(epoch: try entry.string("epoch"), offset: offset), refusal: refusal)
        }
        let events = try fields.array("events") { item, path in
            guard item.kind == .object else { throw WireError.invalidField(path(), "must be an event object") }
            return try WireEvent(WireFields(try item.object(), path: path()))
        }
        return RecoveryAnswer(channels: channels, events: events)
    }
}

extension ByteBuffer {
    /// Writes a `RecoveryAnswer` whose events are given as encoded event objects (`writeWireEvent`).
    public mutating func writeRecoveryAnswer(channels: [RecoveryAnswer.Channel], eventObjects: [ByteBuffer]) {
        writeStaticString(#"{"channels":"#)
        writeJSONArray(channels) { buffer, entry in
            buffer.writeStaticString(#"{"channel":"#)
            buffer.writeJSONString(entry.channel)
            buffer.writeStaticString(#","epoch":"#)
            buffer.writeJSONString(entry.position.epoch)
            buffer.writeStaticString(#","offset":"#)
            buffer.writeJSONNumber(entry.position.offset)
            if let refusal = entry.refusal {
                buffer.writeStaticString(#","recovered":false,"reason":"#)
                buffer.writeJSONString(refusal.rawValue)
            } else {
                buffer.writeStaticString(#","recovered":true"#)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
        writeStaticString(#","events":"#)
        writeJSONArray(eventObjects) { buffer, object in buffer.writeJSONRaw(object) }
        writeInteger(UInt8(ascii: "}"))
    }
}
