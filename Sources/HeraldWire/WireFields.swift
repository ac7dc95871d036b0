import HeraldModel
import NIOCore

/// Typed reads of an object's members that fail with a `WireError` naming the field's full path
/// (`event.channels[0]`). A member that is `null` counts as absent.
struct WireFields {
    let object: JSONObject
    /// The object's own path; empty for a frame's top level.
    let path: String

    init(_ object: JSONObject, path: String = "") {
        self.object = object
        self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func invalid(_ key: String, _ reason: String) -> WireError { WireError.invalidField(name(key), reason) }

    /// The member's entry unless it is absent or `null`.
    private func entry(_ key: String) -> JSONObject.Entry? {
        guard let entry = object.entry(forKey: key), entry.kind != .null else { return nil }
        return entry
    }

    /// The member's value unless it is absent or `null`.
    func optionalValue(_ key: String) -> JSONValueRef? {
        guard let entry = entry(key) else { return nil }
        return object.value(of: entry)
    }

    func optionalString(_ key: String) throws -> String? {
        guard let entry = entry(key) else { return nil }
        guard let string = object.string(of: entry) else { throw invalid(key, "must be a string") }
        return string
    }

    func string(_ key: String) throws -> String {
        guard let string = try optionalString(key) else { throw invalid(key, "missing") }
        return string
    }

    func optionalInt64(_ key: String) throws -> Int64? {
        guard let entry = entry(key) else { return nil }
        guard let number = object.int64(of: entry) else { throw invalid(key, "must be an integer") }
        return number
    }

    func uint64(_ key: String) throws -> UInt64 {
        guard let entry = entry(key), let number = object.uint64(of: entry) else {
            throw invalid(key, "must be a non-negative integer")
        }
        return number
    }

    /// A member that must be an object, as its raw bytes.
    func optionalObject(_ key: String) throws -> JSONValueRef? {
        guard let value = optionalValue(key) else { return nil }
        guard value.kind == .object else { throw invalid(key, "must be an object") }
        return value
    }

    func fields(_ key: String) throws -> WireFields? {
        guard let value = try optionalObject(key) else { return nil }
        return WireFields(try value.object(), path: name(key))
    }

    /// The elements of an array member (absent means empty), each read by `element` with its index.
    func array<Element>(
        _ key: String, _ element: (JSONValueRef, _ path: () -> String) throws -> Element
    ) throws -> [Element] {
        guard let value = optionalValue(key) else { return [] }
        guard value.kind == .array else { throw invalid(key, "must be an array") }
        return try value.array().enumerated().map { index, item in
            try element(item) { "\(name(key))[\(index)]" }
        }
    }

    /// An array of strings, each checked by `isValid`; `rule` says what a valid one looks like.
    func strings(_ key: String, rule: String = "", isValid: (String) -> Bool = { _ in true }) throws -> [String] {
        try array(key) { item, path in
            guard let string = item.string else { throw WireError.invalidField(path(), "must be a string") }
            guard isValid(string) else { throw WireError.invalidField(path(), "\"\(string)\" \(rule)") }
            return string
        }
    }

    func eventIDs(_ key: String) throws -> [EventID] {
        try array(key) { item, path in
            guard let string = item.string else { throw WireError.invalidField(path(), "must be a string") }
            guard let id = EventID(string) else {
                throw WireError.invalidField(path(), "\"\(string)\" \(Rule.eventID)")
            }
            return id
        }
    }

    /// How valid names look, for error messages.
    enum Rule {
        static let eventID = "is not an event id (1–64 characters of [A-Za-z0-9_-])"
        static let eventName = "is not an event name (1–200 characters of [A-Za-z0-9_.:\\\\-])"
        static let channel = "is not a channel name (1–200 characters of [A-Za-z0-9_.:@=,#-])"
    }
}
