import HeraldModel
import NIOCore

/// Typed reads of an object's members that fail with a `WireError` naming the field's full path
/// (`event.channels[0]`). A member that is `null` counts as absent. Frames, and the stage requests of
/// connection setup (HeraldDaemonKit), are read with it.
public struct WireFields {
    public let object: JSONObject
    /// The object's own path; empty for a frame's top level.
    public let path: String

    public init(_ object: JSONObject, path: String = "") {
        self.object = object
        self.path = path
    }

    /// The full path of the member `key`.
    public func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The error for the member `key`: `reason` is what is wrong with it (`missing`, `must be a string`).
    public func invalid(_ key: String, _ reason: String) -> WireError { WireError.invalidField(name(key), reason) }

    /// The member's entry unless it is absent or `null`.
    private func entry(_ key: String) -> JSONObject.Entry? {
        guard let entry = object.entry(forKey: key), entry.kind != .null else { return nil }
        return entry
    }

    /// The member's value unless it is absent or `null`.
    public func optionalValue(_ key: String) -> JSONValueRef? {
        guard let entry = entry(key) else { return nil }
        return object.value(of: entry)
    }

    public func optionalString(_ key: String) throws -> String? {
        guard let entry = entry(key) else { return nil }
        guard let string = object.string(of: entry) else { throw invalid(key, "must be a string") }
        return string
    }

    public func string(_ key: String) throws -> String {
        guard let string = try optionalString(key) else { throw invalid(key, "missing") }
        return string
    }

    public func optionalInt64(_ key: String) throws -> Int64? {
        guard let entry = entry(key) else { return nil }
        guard let number = object.int64(of: entry) else { throw invalid(key, "must be an integer") }
        return number
    }

    public func int64(_ key: String) throws -> Int64 {
        guard let number = try optionalInt64(key) else { throw invalid(key, "missing") }
        return number
    }

    public func optionalBool(_ key: String) throws -> Bool? {
        guard let value = optionalValue(key) else { return nil }
        guard let bool = value.bool else { throw invalid(key, "must be true or false") }
        return bool
    }

    public func bool(_ key: String) throws -> Bool {
        guard let bool = try optionalBool(key) else { throw invalid(key, "missing") }
        return bool
    }

    func uint64(_ key: String) throws -> UInt64 {
        guard let entry = entry(key), let number = object.uint64(of: entry) else {
            throw invalid(key, "must be a non-negative integer")
        }
        return number
    }

    /// A member that must be an object, as its raw bytes.
    public func optionalObject(_ key: String) throws -> JSONValueRef? {
        guard let value = optionalValue(key) else { return nil }
        guard value.kind == .object else { throw invalid(key, "must be an object") }
        return value
    }

    /// The fields of an object member, `nil` when absent.
    public func fields(_ key: String) throws -> WireFields? {
        guard let value = try optionalObject(key) else { return nil }
        return WireFields(try value.object(), path: name(key))
    }

    /// The fields of an object member that must be present.
    public func requiredFields(_ key: String) throws -> WireFields {
        guard let fields = try fields(key) else { throw invalid(key, "missing") }
        return fields
    }

    /// The elements of an array member, each read by `element` with its index. Absent means empty, unless
    /// `required` (then it must be present, and may still be empty).
    public func array<Element>(
        _ key: String, required: Bool = false, _ element: (JSONValueRef, _ path: () -> String) throws -> Element
    ) throws -> [Element] {
        guard let value = optionalValue(key) else {
            if required { throw invalid(key, "missing") }
            return []
        }
        guard value.kind == .array else { throw invalid(key, "must be an array") }
        return try value.array().enumerated().map { index, item in
            try element(item) { "\(name(key))[\(index)]" }
        }
    }

    /// An array of objects, each read by `element` from its fields (whose path names its index).
    public func objects<Element>(
        _ key: String, required: Bool = false, _ element: (WireFields) throws -> Element
    ) throws -> [Element] {
        try array(key, required: required) { item, path in
            guard item.kind == .object else { throw WireError.invalidField(path(), "must be an object") }
            return try element(WireFields(try item.object(), path: path()))
        }
    }

    /// An array of strings, each checked by `isValid`; `rule` says what a valid one looks like.
    public func strings(
        _ key: String, required: Bool = false, rule: String = "", isValid: (String) -> Bool = { _ in true }
    ) throws -> [String] {
        try array(key, required: required) { item, path in
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
