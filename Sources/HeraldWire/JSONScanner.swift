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
        try buffer.withUnsafeReadableBytes { bytes in
            var cursor = JSONCursor(bytes)
            cursor.skipWhitespace()
            guard cursor.current == UInt8(ascii: "{") else {
                throw cursor.error(cursor.isAtEnd ? "empty input, expected a JSON object" : "expected a JSON object")
            }
            var members: [JSONMember] = []
            try cursor.scanObject(depth: 1) { key, value in
                let content = UnsafeRawBufferPointer(rebasing: bytes[(key.start + 1)..<(key.end - 1)])
                let name = key.flag ? JSONUnescaper.string(content) : String(decoding: content, as: UTF8.self)
                members.append(JSONMember(key: name, value: try slice(buffer, value)))
            }
            try finish(&cursor)
            return JSONObject(members: members)
        }
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

    /// Validates `buffer`'s readable bytes as one JSON array and returns its elements in order.
    static func elements(_ buffer: ByteBuffer) throws -> [JSONValueRef] {
        try buffer.withUnsafeReadableBytes { bytes in
            var cursor = JSONCursor(bytes)
            cursor.skipWhitespace()
            guard cursor.current == UInt8(ascii: "[") else { throw cursor.error("expected a JSON array") }
            var elements: [JSONValueRef] = []
            try cursor.scanArray(depth: 1) { elements.append(try slice(buffer, $0)) }
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
