import HeraldModel
import HeraldWire
import NIOCore

/// Turns the body of `POST /api/rooms/{roomId}/events`, `{"event":"<appId>:…","data":{…}}`, into the event it
/// publishes on `room.{roomId}`, or the error that says what is wrong. Pure: no I/O, no clock or randomness
/// except through the injected closures.
///
/// `data` stays a zero-copy slice of the body, so subscribers receive the app's bytes exactly as it sent them.
public struct RoomEventParser: Sendable {
    static let roomIDRule = "must be 1-\(RoomID.maximumLength) of A-Z a-z 0-9 _ - : @ = ,"

    /// Default priorities, from the same table as every other published event.
    public var priorities: PriorityTable
    public var makeID: @Sendable () -> EventID
    public var now: @Sendable () -> String

    public init(
        priorities: PriorityTable, makeID: @escaping @Sendable () -> EventID = { EventID.generate() },
        now: @escaping @Sendable () -> String = { Clock.rfc3339() }
    ) {
        self.priorities = priorities
        self.makeID = makeID
        self.now = now
    }

    /// Whether `roomID` names a room (`RoomID`).
    public static func isValidRoomID(_ roomID: Substring) -> Bool { RoomID.isValid(String(roomID)) }

    /// 400 `INVALID_PAYLOAD` unless `roomID` is a valid room id.
    public static func checkRoomID(_ roomID: String) throws(HeraldError) {
        guard isValidRoomID(roomID[...]) else {
            throw HeraldError(.invalidPayload, "roomId: \(roomIDRule) (got \"\(roomID.prefix(64))\")")
        }
    }

    /// The event `body` publishes to room `roomID` for app `appID`.
    ///
    /// - Throws: `INVALID_PAYLOAD` for a body that is not a JSON object, a missing or malformed `event`, or `data`
    ///   that is not an object; `APP_PERMISSION_DENIED` for an event name that does not start with `<appId>:`.
    public func parse(_ body: ByteBuffer, appID: String, roomID: String) throws(HeraldError) -> WireEvent {
        let object = try PublishFields.bodyObject(body, example: #"{"event":…,"data":{…}}"#)
        let fields = PublishFields(object: object, path: "")
        guard
            let name = try fields.string("event", rule: PublishRequestParser.eventNameRule, isValid: EventName.isValid)
        else {
            throw fields.invalid("event", "required, \"\(appID):<name>\"")
        }
        let prefix = "\(appID):"
        guard name.hasPrefix(prefix) else {
            throw HeraldError(
                .appPermissionDenied,
                "app \"\(appID)\" may publish only events named \"\(prefix)…\" (got \"\(name)\"); prefix the name")
        }
        guard name.utf8.count > prefix.utf8.count else {
            throw fields.invalid("event", "must name the event after the \"\(prefix)\" prefix")
        }
        guard let data = fields.value("data") else { throw fields.invalid("data", "required, a JSON object") }
        guard data.kind == .object else { throw fields.invalid("data", "must be an object") }
        return WireEvent(
            id: makeID(), name: name, channels: ["room.\(roomID)"], timestamp: now(),
            priority: priorities.priority(for: name), appID: appID, data: data.raw)
    }
}
