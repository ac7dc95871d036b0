import HeraldModel
import HeraldWire
import NIOCore

/// Turns the body of a Pusher HTTP API trigger into events, or the `INVALID_PAYLOAD` error that names the field at
/// fault. Pure: no I/O, no clock or randomness except through the injected closures.
///
/// `POST /apps/{appId}/events` takes `{"name","data","channel"|"channels","socket_id"?,"info"?}`;
/// `POST /apps/{appId}/batch_events` takes `{"batch":[{"name","channel","data","socket_id"?,"info"?}, …]}`.
/// Each becomes a Herald event: `name` is the event name (Herald's alphabet plus `\`, see
/// `EventName.isValidPusherName`), `socket_id` leaves that connection out, the priority comes from the configured
/// table and the timestamp is the time of arrival.
///
/// Pusher carries `data` as a string. When that string is itself JSON, the event carries the parsed value, so
/// native and Socket.IO clients receive structured data; otherwise it carries the string. A Pusher client gets the
/// data back as a string either way.
public struct PusherEventParser: Sendable {
    /// The most channels one event may name, as Pusher allows.
    public static let maximumChannels = 100
    /// The most events one `batch_events` request may carry, as Pusher allows.
    public static let maximumBatch = 10

    static let nameRule =
        "must be 1–200 characters of [A-Za-z0-9_.:-] and \\ (a PHP class name such as App\\Events\\OrderShipped "
        + "is fine); for another name, give the Laravel event a broadcastAs() method"
    static let socketIDRule =
        "must be 1–\(PublishRequestParser.maximumKeyLength) bytes, the id of the connection to leave out "
        + "(such as 1234.5678)"

    /// What a trigger publishes, and the channel attributes it asked for in the answer (`info`), per event.
    public struct Trigger: Sendable {
        public var events: [WireEvent]
        /// Indexed like `events`; nil where an event asked for none.
        public var info: [TriggerInfo?]

        public var wantsInfo: Bool { info.contains { $0 != nil } }
    }

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

    public func parse(_ body: ByteBuffer, for endpoint: PusherEndpoint) throws(HeraldError) -> Trigger {
        let object = try PublishFields.bodyObject(body)
        switch endpoint {
        case .events:
            let fields = PublishFields(object: object, path: "")
            let event = try self.event(fields, maximumChannels: Self.maximumChannels)
            return Trigger(events: [event], info: [try Self.info(fields)])
        case .batchEvents:
            return try batch(PublishFields(object: object, path: ""))
        }
    }

    private func batch(_ fields: PublishFields) throws(HeraldError) -> Trigger {
        guard let items = try fields.array("batch") else {
            throw fields.invalid(
                "batch", "required, an array of events such as [{\"name\":…,\"channel\":…,\"data\":…}]")
        }
        guard !items.isEmpty else { throw fields.invalid("batch", "must hold at least one event") }
        guard items.count <= Self.maximumBatch else {
            throw fields.invalid(
                "batch", "holds \(items.count) events, at most \(Self.maximumBatch) are allowed; split the batch")
        }
        var events: [WireEvent] = []
        events.reserveCapacity(items.count)
        var info: [TriggerInfo?] = []
        for (index, item) in items.enumerated() {
            guard item.kind == .object, let object = try? item.object() else {
                throw fields.invalid("batch[\(index)]", "must be an object")
            }
            let itemFields = PublishFields(object: object, path: "batch[\(index)]")
            events.append(try event(itemFields, maximumChannels: 1))
            info.append(try Self.info(itemFields))
        }
        return Trigger(events: events, info: info)
    }

    /// `info`: `subscription_count`, `user_count` or both, comma-separated.
    private static func info(_ fields: PublishFields) throws(HeraldError) -> TriggerInfo? {
        guard let value = fields.value("info") else { return nil }
        guard let text = value.string, let info = TriggerInfo(text) else {
            throw fields.invalid(
                "info", "must be a string such as \"subscription_count\" or \"subscription_count,user_count\"")
        }
        return info
    }

    private func event(_ fields: PublishFields, maximumChannels: Int) throws(HeraldError) -> WireEvent {
        guard let name = try fields.string("name", rule: Self.nameRule, isValid: EventName.isValidPusherName) else {
            throw fields.invalid("name", "required, the event name")
        }
        let channels = try fields.channels(maximum: maximumChannels)
        guard let data = fields.value("data") else {
            throw fields.invalid("data", "required, a string (JSON-encode a structured payload)")
        }
        guard let text = data.string else {
            throw fields.invalid("data", "must be a string, as Pusher's API carries it (JSON-encode the payload)")
        }
        let socketID = try fields.string("socket_id", rule: Self.socketIDRule, isValid: Self.isSocketID)
        return WireEvent(
            id: makeID(), name: name, channels: channels, timestamp: now(), priority: priorities.priority(for: name),
            audience: Audience(excludeSocketID: socketID), data: Self.payload(text, raw: data.raw))
    }

    /// The event's data: the JSON value `text` holds when it is JSON, else the string itself (`raw`, the string's
    /// JSON token as the publisher wrote it).
    static func payload(_ text: String, raw: ByteBuffer) -> ByteBuffer {
        guard let parsed = try? JSONScanner.value(ByteBuffer(string: text)) else { return raw }
        return parsed.raw
    }

    /// Any id a connection may have. Pusher's own ids are `<digits>.<digits>`; ids of another form are accepted
    /// too, as `/api/broadcast` accepts them, since an id that names no connection simply leaves no one out.
    static func isSocketID(_ text: String) -> Bool {
        (1...PublishRequestParser.maximumKeyLength).contains(text.utf8.count)
    }
}
