import NIOCore

/// One validated JSON value, held as a zero-copy slice of the bytes it was scanned from.
///
/// Nothing is converted until asked: `string`, `int64` and `bool` read the slice on demand, `object()` and
/// `array()` scan one more level. Values only come from `JSONScanner`, so `raw` is always valid JSON.
///
/// The slice keeps the whole buffer it was cut from alive; copy `raw` before storing a value for long.
public struct JSONValueRef: Sendable {
    /// The JSON type of a value.
    public enum Kind: String, Sendable, Hashable {
        case string, number, object, array, bool, null
    }

    /// The value's JSON type.
    public let kind: Kind
    /// The exact bytes of the value as they appeared in the input (strings keep their quotes and escapes).
    public let raw: ByteBuffer
    /// For strings: whether the text contains a backslash escape. For numbers: whether it is an integer
    /// (no fraction, no exponent). Fixed by the scan that produced the value.
    let flag: Bool
    /// For an object: its member table when the scan that produced it recorded one.
    let members: [JSONObject.Entry]?

    init(kind: Kind, raw: ByteBuffer, flag: Bool, members: [JSONObject.Entry]? = nil) {
        self.kind = kind
        self.raw = raw
        self.flag = flag
        self.members = members
    }

    /// The unescaped text of a string value; `nil` for other kinds.
    public var string: String? {
        guard kind == .string else { return nil }
        return raw.withUnsafeReadableBytes { JSONScalar.string($0, escaped: flag) }
    }

    /// The value of an integer number that fits in 64 bits; `nil` for fractions, exponents, out-of-range
    /// integers and other kinds.
    public var int64: Int64? {
        guard kind == .number, flag else { return nil }
        return raw.withUnsafeReadableBytes(JSONScalar.int64)
    }

    /// The value of a non-negative integer number that fits in 64 unsigned bits; `nil` otherwise.
    public var uint64: UInt64? {
        guard kind == .number, flag else { return nil }
        return raw.withUnsafeReadableBytes(JSONScalar.uint64)
    }

    /// `true` or `false` for booleans; `nil` for other kinds.
    public var bool: Bool? {
        guard kind == .bool else { return nil }
        return raw.getInteger(at: raw.readerIndex, as: UInt8.self) == UInt8(ascii: "t")
    }

    /// Whether the value is JSON `null`.
    public var isNull: Bool { kind == .null }

    /// The members of an object value. Throws a `WireError` when the value is not an object.
    public func object() throws -> JSONObject {
        guard kind == .object else {
            throw WireError.malformedJSON("expected an object, found \(kind.rawValue)", at: 0)
        }
        if let members { return JSONObject(bytes: raw, entries: members) }
        return try JSONScanner.object(raw, validating: false)
    }

    /// The elements of an array value, in order. Throws a `WireError` when the value is not an array.
    public func array() throws -> [JSONValueRef] {
        guard kind == .array else {
            throw WireError.malformedJSON("expected an array, found \(kind.rawValue)", at: 0)
        }
        return try JSONScanner.elements(raw, validating: false)
    }
}

extension JSONValueRef: Hashable {
    /// Values are equal when they have the same kind and the same bytes.
    public static func == (lhs: JSONValueRef, rhs: JSONValueRef) -> Bool { lhs.kind == rhs.kind && lhs.raw == rhs.raw }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(raw)
    }
}
