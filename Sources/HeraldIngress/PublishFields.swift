import HeraldModel
import HeraldWire
import NIOCore

/// Typed reads of one publish envelope's members. Every failure is an `INVALID_PAYLOAD` whose message starts
/// with the field's path (`events[2].channel: …`), so a publisher can find the mistake. A member that is `null`
/// counts as absent.
struct PublishFields {
    /// A request body as one JSON object; `INVALID_PAYLOAD` naming what is wrong. An empty body is refused
    /// with `example`, a body such as the endpoint takes, when there is one.
    static func bodyObject(_ body: ByteBuffer, example: String? = nil) throws(HeraldError) -> JSONObject {
        if let example, body.readableBytes == 0 {
            throw HeraldError(.invalidPayload, "body: required, a JSON object such as \(example)")
        }
        do {
            return try JSONScanner.object(body)
        } catch let error as WireError {
            throw HeraldError(.invalidPayload, "body: \(error.message)")
        } catch {
            throw HeraldError(.invalidPayload, "body: \(error)")
        }
    }

    let object: JSONObject
    /// The envelope's own path: empty for a single envelope, `events[2]` inside a batch.
    let path: String

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func invalid(_ key: String, _ reason: String) -> HeraldError {
        HeraldError(.invalidPayload, "\(name(key)): \(reason)")
    }

    /// The member's value unless it is absent or `null`.
    func value(_ key: String) -> JSONValueRef? {
        guard let value = object[key]?.value, value.kind != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(HeraldError) -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value.string else { throw invalid(key, "must be a string") }
        return string
    }

    /// A string member checked by `isValid`; `rule` says what a valid one looks like.
    func string(_ key: String, rule: String, isValid: (String) -> Bool) throws(HeraldError) -> String? {
        guard let string = try string(key) else { return nil }
        guard isValid(string) else { throw invalid(key, rule) }
        return string
    }

    /// An array of strings, each checked by `isValid`; `nil` when absent.
    func strings(_ key: String, rule: String, isValid: (String) -> Bool) throws(HeraldError) -> [String]? {
        guard let items = try array(key) else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let element = "\(key)[\(index)]"
            guard let string = item.string else { throw invalid(element, "must be a string") }
            guard isValid(string) else { throw invalid(element, rule) }
            strings.append(string)
        }
        return strings
    }

    /// User ids as publishers send them: strings, or integers (compared as their decimal text).
    func userIDs(_ key: String) throws(HeraldError) -> [String]? {
        guard let items = try array(key) else { return nil }
        var ids: [String] = []
        ids.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let id = Self.userID(item), !id.isEmpty else {
                throw invalid("\(key)[\(index)]", "must be a non-empty string or an integer")
            }
            ids.append(id)
        }
        return ids
    }

    func array(_ key: String) throws(HeraldError) -> [JSONValueRef]? {
        guard let value = value(key) else { return nil }
        guard value.kind == .array, let items = try? value.array() else { throw invalid(key, "must be an array") }
        return items
    }

    static func userID(_ value: JSONValueRef) -> String? {
        if let string = value.string { return string }
        guard value.int64 != nil else { return nil }
        return value.raw.getString(at: value.raw.readerIndex, length: value.raw.readableBytes)
    }
}
