import NIOCore

/// One validated JSON value, held as a zero-copy slice of the bytes it was scanned from.
///
/// Nothing is converted until asked: `string`, `int64` and `bool` read the slice on demand, `object()` and
/// `array()` scan one more level. Values only come from `JSONScanner`, so `raw` is always valid JSON.
///
/// The slice keeps the whole buffer it was cut from alive; copy `raw` before storing a value for long.
public struct JSONValueRef: Sendable, Hashable {
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

    init(kind: Kind, raw: ByteBuffer, flag: Bool) {
        self.kind = kind
        self.raw = raw
        self.flag = flag
    }

    /// The unescaped text of a string value; `nil` for other kinds.
    public var string: String? {
        guard kind == .string else { return nil }
        let contentStart = raw.readerIndex + 1
        let contentLength = raw.readableBytes - 2
        guard flag else { return raw.getString(at: contentStart, length: contentLength) }
        return raw.withUnsafeReadableBytes { bytes in
            JSONUnescaper.string(UnsafeRawBufferPointer(rebasing: bytes[1..<(bytes.count - 1)]))
        }
    }

    /// The value of an integer number that fits in 64 bits; `nil` for fractions, exponents, out-of-range
    /// integers and other kinds.
    public var int64: Int64? {
        guard kind == .number, flag else { return nil }
        return raw.withUnsafeReadableBytes { bytes -> Int64? in
            var index = 0
            let negative = bytes[0] == UInt8(ascii: "-")
            if negative { index = 1 }
            var value: Int64 = 0
            while index < bytes.count {
                let digit = Int64(bytes[index] &- UInt8(ascii: "0"))
                let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
                let (next, overflowB) =
                    negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
                guard !overflowA, !overflowB else { return nil }
                value = next
                index += 1
            }
            return value
        }
    }

    /// The value of a non-negative integer number that fits in 64 unsigned bits; `nil` otherwise.
    public var uint64: UInt64? {
        guard kind == .number, flag else { return nil }
        return raw.withUnsafeReadableBytes { bytes -> UInt64? in
            guard bytes[0] != UInt8(ascii: "-") else { return nil }
            var value: UInt64 = 0
            for byte in bytes {
                let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
                let (next, overflowB) = shifted.addingReportingOverflow(UInt64(byte &- UInt8(ascii: "0")))
                guard !overflowA, !overflowB else { return nil }
                value = next
            }
            return value
        }
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
        return try JSONScanner.object(raw)
    }

    /// The elements of an array value, in order. Throws a `WireError` when the value is not an array.
    public func array() throws -> [JSONValueRef] {
        guard kind == .array else {
            throw WireError.malformedJSON("expected an array, found \(kind.rawValue)", at: 0)
        }
        return try JSONScanner.elements(raw)
    }
}
