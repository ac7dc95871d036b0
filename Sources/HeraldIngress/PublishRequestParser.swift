import HeraldModel
import HeraldWire
import NIOCore

/// Turns a publish request's body into the events it asks for, or the `INVALID_PAYLOAD` error that says which
/// field is wrong and why. Pure: no I/O, no clock or randomness except through the injected closures.
///
/// Both endpoints read the canonical envelope (docs/protocol.md): `id` (optional: a publisher-supplied id makes
/// retries idempotent), `event`, `channel` and/or `channels`, `timestamp`, `user_id`, `priority`, `data`,
/// `metadata`, `collapse_key` and the audience options `roles`, `user_ids`, `exclude_user_ids`, `socket_id`.
/// `/api/events` also takes `{"events":[…]}`. The request's `Content-Type` is not consulted: the body must be
/// JSON whatever the publisher labels it (curl's `-d` says form-urlencoded).
///
/// `data`, `metadata` and `user_id` stay zero-copy slices of the body: the publisher's bytes are never
/// re-encoded on their way to clients.
public struct PublishRequestParser: Sendable {
    /// The most events one `{"events":[…]}` batch may carry.
    public static let maximumBatch = 100
    /// The most channels one event may name.
    public static let maximumChannels = 100
    /// The longest `collapse_key` and `socket_id`.
    public static let maximumKeyLength = 200

    static let eventNameRule = "must match [A-Za-z0-9_.:-]{1,200}"
    static let channelRule = "must match [A-Za-z0-9_.:@=,#-]{1,200}"
    static let eventIDRule = "must match [A-Za-z0-9_-]{1,64}"

    /// Default priorities for events published without one.
    public var priorities: PriorityTable
    /// The id of an event published without one.
    public var makeID: @Sendable () -> EventID
    /// The timestamp of an event published without one.
    public var now: @Sendable () -> String

    public init(
        priorities: PriorityTable, makeID: @escaping @Sendable () -> EventID = { EventID.generate() },
        now: @escaping @Sendable () -> String = { Clock.rfc3339() }
    ) {
        self.priorities = priorities
        self.makeID = makeID
        self.now = now
    }

    /// The events a request body publishes: exactly one for `/api/broadcast`, 1–100 for `/api/events`.
    public func parse(_ body: ByteBuffer, for endpoint: PublishEndpoint) throws(HeraldError) -> [WireEvent] {
        let object = try PublishFields.bodyObject(body, example: #"{"channel":…,"event":…}"#)
        if endpoint == .events, let batch = object["events"]?.value, !batch.isNull {
            return try parseBatch(batch)
        }
        return [try envelope(PublishFields(object: object, path: ""))]
    }

    private func parseBatch(_ batch: JSONValueRef) throws(HeraldError) -> [WireEvent] {
        guard batch.kind == .array, let items = try? batch.array() else {
            throw HeraldError(.invalidPayload, "events: must be an array of event envelopes")
        }
        guard !items.isEmpty else { throw HeraldError(.invalidPayload, "events: must hold at least one event") }
        guard items.count <= Self.maximumBatch else {
            throw HeraldError(
                .invalidPayload,
                "events: holds \(items.count) events, at most \(Self.maximumBatch) are allowed; split the batch")
        }
        var events: [WireEvent] = []
        events.reserveCapacity(items.count)
        var positions: [EventID: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = "events[\(index)]"
            guard item.kind == .object, let object = try? item.object() else {
                throw HeraldError(.invalidPayload, "\(path): must be an object")
            }
            let event = try envelope(PublishFields(object: object, path: path))
            if let first = positions.updateValue(index, forKey: event.id) {
                throw HeraldError(.invalidPayload, "\(path).id: repeats the id of events[\(first)]; ids must be unique")
            }
            events.append(event)
        }
        return events
    }

    private func envelope(_ fields: PublishFields) throws(HeraldError) -> WireEvent {
        guard let name = try fields.string("event", rule: Self.eventNameRule, isValid: EventName.isValid) else {
            throw fields.invalid("event", "required")
        }
        let id = try fields.string("id", rule: Self.eventIDRule) { EventID($0) != nil }.map(
            EventID.init(uncheckedRawValue:))
        let priority = try priority(fields) ?? priorities.priority(for: name)
        var timestamp = now()
        if let text = try fields.string("timestamp") {
            guard let normalized = PublishTimestamp.normalize(text) else {
                throw fields.invalid("timestamp", "must be an RFC 3339 date-time such as 2025-07-17T10:30:00Z")
            }
            timestamp = normalized
        }
        let userID = fields.value("user_id")
        if let userID, userID.kind != .string, userID.kind != .number {
            throw fields.invalid("user_id", "must be a string or a number")
        }
        let metadata = fields.value("metadata")
        if let metadata, metadata.kind != .object { throw fields.invalid("metadata", "must be an object") }
        return WireEvent(
            id: id ?? makeID(), name: name, channels: try fields.channels(maximum: Self.maximumChannels),
            timestamp: timestamp, priority: priority,
            userID: userID?.raw, audience: try audience(fields), collapseKey: try shortString(fields, "collapse_key"),
            data: fields.value("data")?.raw ?? ByteBuffer(staticString: "{}"), metadata: metadata?.raw)
    }

    private func priority(_ fields: PublishFields) throws(HeraldError) -> Priority? {
        guard let text = try fields.string("priority") else { return nil }
        guard let priority = Priority(rawValue: text) else {
            throw fields.invalid("priority", "must be high, medium or low")
        }
        return priority
    }

    private func audience(_ fields: PublishFields) throws(HeraldError) -> Audience {
        Audience(
            roles: try fields.strings("roles", rule: "must be a non-empty string") { !$0.isEmpty },
            userIDs: try fields.userIDs("user_ids"), excludeUserIDs: try fields.userIDs("exclude_user_ids"),
            excludeSocketID: try shortString(fields, "socket_id"))
    }

    private func shortString(_ fields: PublishFields, _ key: String) throws(HeraldError) -> String? {
        try fields.string(key, rule: "must be 1–\(Self.maximumKeyLength) bytes") {
            (1...Self.maximumKeyLength).contains($0.utf8.count)
        }
    }
}
