import NIOCore

/// Strict, allocation-light JSON (RFC 8259) for the per-event path, where Foundation is too slow.
///
/// `object(_:)` validates the whole input in one pass (structure, UTF-8, escapes, surrogates, numbers, nesting
/// up to `maximumDepth`, nothing after the value) and returns the top-level members as zero-copy slices.
/// Nested objects and arrays are parsed only when asked for. Every failure is a `WireError` naming the byte
/// offset.
public enum JSONScanner {
    /// The deepest nesting of objects and arrays accepted; the top-level value counts as level 1.
    public static let maximumDepth = 64

    /// Validates `buffer`'s readable bytes as one JSON object and returns its members in order.
    public static func object(_ buffer: ByteBuffer) throws -> JSONObject {
        try object(buffer, validating: true)
    }

    /// Validates `buffer`'s readable bytes as one JSON value of any kind.
    public static func value(_ buffer: ByteBuffer) throws -> JSONValueRef {
        try buffer.withUnsafeReadableBytes { bytes in
            var cursor = JSONCursor(bytes)
            cursor.skipWhitespace()
            let span = try cursor.scanValue(depth: 1)
            try finish(&cursor)
            return try slice(buffer, span)
        }
    }

    /// The members of an object; `validating: false` only for bytes that were validated before.
    static func object(_ buffer: ByteBuffer, validating: Bool) throws -> JSONObject {
        guard buffer.readableBytes <= UInt32.max else {
            throw WireError.malformedJSON("input larger than 4 GiB", at: 0)
        }
        return try buffer.withUnsafeReadableBytes { bytes in
            var cursor = JSONCursor(bytes, validating: validating)
            cursor.skipWhitespace()
            guard cursor.current == UInt8(ascii: "{") else {
                throw cursor.error(cursor.isAtEnd ? "empty input, expected a JSON object" : "expected a JSON object")
            }
            var entries: [JSONObject.Entry] = []
            var nested: [[JSONObject.Entry]] = []
            if cursor.open() {
                entries.reserveCapacity(16)
                repeat {
                    let key = try cursor.scanKey()
                    var members: [JSONObject.Entry] = []
                    let value = try cursor.scanValue(depth: 2, members: &members)
                    var index: Int32 = -1
                    if value.kind == .object {
                        index = Int32(nested.count)
                        nested.append(members)
                    }
                    entries.append(cursor.entry(key: key, value: value, nested: index))
                } while try cursor.next(inObject: true)
            }
            try finish(&cursor)
            return JSONObject(bytes: buffer, entries: entries, nested: nested)
        }
    }

    /// The elements of an array; `validating: false` only for bytes that were validated before.
    static func elements(_ buffer: ByteBuffer, validating: Bool) throws -> [JSONValueRef] {
        try buffer.withUnsafeReadableBytes { bytes in
            var cursor = JSONCursor(bytes, validating: validating)
            cursor.skipWhitespace()
            guard cursor.current == UInt8(ascii: "[") else { throw cursor.error("expected a JSON array") }
            var elements: [JSONValueRef] = []
            if cursor.open() {
                repeat {
                    elements.append(try slice(buffer, try cursor.scanValue(depth: 2)))
                } while try cursor.next(inObject: false)
            }
            try finish(&cursor)
            return elements
        }
    }

    private static func finish(_ cursor: inout JSONCursor) throws {
        cursor.skipWhitespace()
        guard cursor.isAtEnd else { throw cursor.error("unexpected data after the JSON value") }
    }

    private static func slice(_ buffer: ByteBuffer, _ span: JSONCursor.Span) throws -> JSONValueRef {
        guard let raw = buffer.getSlice(at: buffer.readerIndex + span.start, length: span.end - span.start) else {
            throw WireError.malformedJSON("value outside the buffer", at: span.start)
        }
        return JSONValueRef(kind: span.kind, raw: raw, flag: span.flag)
    }
}
