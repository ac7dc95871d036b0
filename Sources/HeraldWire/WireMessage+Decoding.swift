import HeraldModel
import NIOCore

extension WireMessage {
    /// Decodes one frame's payload (the bytes after the length). Throws a `WireError` for invalid JSON, an
    /// unknown `type` or a missing or invalid field; members this version does not know are ignored.
    public static func decode(frame payload: ByteBuffer) throws -> WireMessage {
        let fields = WireFields(try JSONScanner.object(payload))
        let type = try fields.string("type")
        switch type {
        case "hello":
            guard let version = Int(exactly: try fields.optionalInt64("version") ?? -1), version >= 0 else {
                throw fields.invalid("version", "missing or negative; must be a non-negative integer")
            }
            return .hello(
                Hello(stage: try fields.string("stage"), instance: try fields.string("instance"), version: version))
        case "event":
            return .event(try WireEvent(try eventFields(fields)))
        case "events":
            let events = try fields.array("events") { item, path in
                guard item.kind == .object else { throw WireError.invalidField(path(), "must be an event object") }
                return try WireEvent(WireFields(try item.object()))
            }
            guard !events.isEmpty else { throw fields.invalid("events", "must hold at least one event") }
            return .events(events)
        case "deliver":
            return .deliver(try WireEvent(try eventFields(fields)))
        case "batch":
            let events = try fields.array("events") { item, path in
                guard item.kind == .object else { throw WireError.invalidField(path(), "must be an event object") }
                return try WireEvent(WireFields(try item.object()))
            }
            guard !events.isEmpty else { throw fields.invalid("events", "must hold at least one event") }
            return .batch(events)
        case "ack":
            return .ack(try fields.eventIDs("ids"))
        case "settled":
            return .settled(try fields.eventIDs("ids"))
        case "refused":
            return .refused(try refusal(fields))
        case "request":
            let method = try fields.string("method")
            guard !method.isEmpty else { throw fields.invalid("method", "must not be empty") }
            let params = try fields.optionalObject("params")?.raw ?? ByteBuffer(string: "{}")
            return .request(Request(id: try fields.uint64("id"), method: method, params: params))
        case "response":
            return .response(try response(fields))
        case "notice":
            let method = try fields.string("method")
            guard !method.isEmpty else { throw fields.invalid("method", "must not be empty") }
            let params = try fields.optionalObject("params")?.raw ?? ByteBuffer(string: "{}")
            return .notice(Notice(method: method, params: params))
        case "error":
            return .error(try failure(fields))
        default:
            throw WireError.unknownType(type)
        }
    }

    private static func eventFields(_ fields: WireFields) throws -> WireFields {
        guard let event = try fields.fields("event") else { throw fields.invalid("event", "missing") }
        return event
    }

    private static func response(_ fields: WireFields) throws -> Response {
        let id = try fields.uint64("id")
        let result = fields.object.value(forKey: "result")
        let error = try fields.fields("error")
        switch (result, error) {
        case (let result?, nil): return Response(id: id, outcome: .success(result.raw))
        case (nil, let error?): return Response(id: id, outcome: .failure(try failure(error)))
        default: throw fields.invalid("result", "a response carries exactly one of result and error")
        }
    }

    private static func refusal(_ fields: WireFields) throws -> EventRefusal {
        let idText = try fields.string("id")
        guard let id = EventID(idText) else { throw fields.invalid("id", "\"\(idText)\" \(WireFields.Rule.eventID)") }
        let retryAfter = try fields.optionalInt64("retry_after")
        if let retryAfter, retryAfter < 0 { throw fields.invalid("retry_after", "must not be negative") }
        return EventRefusal(
            id: id, code: try fields.string("code"), message: try fields.string("message"),
            retryAfter: retryAfter.map { Int(clamping: $0) })
    }

    private static func failure(_ fields: WireFields) throws -> WireFailure {
        WireFailure(code: try fields.string("code"), message: try fields.string("message"))
    }
}
