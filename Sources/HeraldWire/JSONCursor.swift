/// A position in JSON text with strict RFC 8259 validation, one byte at a time, with every read bounds-checked.
///
/// The cursor validates everything it passes over (structure, strings, UTF-8, escapes, numbers, depth) and
/// reports where each value starts and ends, so callers can slice values out without copying them.
struct JSONCursor {
    /// Where one value was found, and what `JSONValueRef.flag` should say about it.
    struct Span {
        var kind: JSONValueRef.Kind
        var start: Int
        var end: Int
        var flag: Bool
    }

    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index >= bytes.count }

    /// The byte at the cursor, or `nil` at the end of input.
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    func error(_ reason: String, at offset: Int? = nil) -> WireError {
        WireError.malformedJSON(reason, at: offset ?? index)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Requires `byte` at the cursor and steps over it.
    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard current == byte else { throw error(isAtEnd ? "unexpected end of input, \(what)" : what) }
        index += 1
    }

    /// Scans the value at the cursor (whitespace already skipped). A container found here sits at nesting
    /// level `depth`; the top-level value is level 1.
    mutating func scanValue(depth: Int) throws -> Span {
        let start = index
        guard let byte = current else { throw error("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "\""):
            let escaped = try scanString()
            return Span(kind: .string, start: start, end: index, flag: escaped)
        case UInt8(ascii: "{"):
            try enter(depth)
            try skipObject(depth: depth)
            return Span(kind: .object, start: start, end: index, flag: false)
        case UInt8(ascii: "["):
            try enter(depth)
            try skipArray(depth: depth)
            return Span(kind: .array, start: start, end: index, flag: false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let integer = try scanNumber()
            return Span(kind: .number, start: start, end: index, flag: integer)
        case UInt8(ascii: "t"):
            try scanLiteral("true")
            return Span(kind: .bool, start: start, end: index, flag: false)
        case UInt8(ascii: "f"):
            try scanLiteral("false")
            return Span(kind: .bool, start: start, end: index, flag: false)
        case UInt8(ascii: "n"):
            try scanLiteral("null")
            return Span(kind: .null, start: start, end: index, flag: false)
        default:
            throw error("unexpected byte 0x\(String(byte, radix: 16)), expected a value")
        }
    }

    private func enter(_ depth: Int) throws {
        guard depth <= JSONScanner.maximumDepth else {
            throw error("nesting deeper than \(JSONScanner.maximumDepth) levels")
        }
    }

    /// Walks an object, calling `member` with each key's span (a string) and its value's span.
    /// The cursor starts on `{` and ends just past `}`.
    mutating func scanObject(depth: Int, member: (Span, Span) throws -> Void) throws {
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            guard current == UInt8(ascii: "\"") else {
                throw error(isAtEnd ? "unexpected end of input inside an object" : "expected a string key")
            }
            let keyStart = index
            let escaped = try scanString()
            let key = Span(kind: .string, start: keyStart, end: index, flag: escaped)
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "expected ':' after an object key")
            skipWhitespace()
            let value = try scanValue(depth: depth + 1)
            try member(key, value)
            skipWhitespace()
            guard let next = current else { throw error("unexpected end of input inside an object") }
            index += 1
            switch next {
            case UInt8(ascii: ","): skipWhitespace()
            case UInt8(ascii: "}"): return
            default: throw error("expected ',' or '}' after an object member", at: index - 1)
            }
        }
    }

    /// Walks an array, calling `element` with each element's span. The cursor starts on `[` and ends past `]`.
    mutating func scanArray(depth: Int, element: (Span) throws -> Void) throws {
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            let value = try scanValue(depth: depth + 1)
            try element(value)
            skipWhitespace()
            guard let next = current else { throw error("unexpected end of input inside an array") }
            index += 1
            switch next {
            case UInt8(ascii: ","): skipWhitespace()
            case UInt8(ascii: "]"): return
            default: throw error("expected ',' or ']' after an array element", at: index - 1)
            }
        }
    }

    private mutating func skipObject(depth: Int) throws {
        try scanObject(depth: depth) { _, _ in }
    }

    private mutating func skipArray(depth: Int) throws {
        try scanArray(depth: depth) { _ in }
    }

    private mutating func scanLiteral(_ literal: StaticString) throws {
        let start = index
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw error("unexpected end of input in a literal", at: start) }
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw error("invalid literal, expected \(literal)", at: start)
        }
        index += count
    }

    /// Scans `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` and reports whether it is an integer.
    private mutating func scanNumber() throws -> Bool {
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, first.isDigit else { throw error("expected a digit") }
        index += 1
        if first == UInt8(ascii: "0") {
            if let next = current, next.isDigit { throw error("leading zero in a number") }
        } else {
            skipDigits()
        }
        var integer = true
        if current == UInt8(ascii: ".") {
            index += 1
            try requireDigits("expected a digit after '.'")
            integer = false
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            try requireDigits("expected a digit in the exponent")
            integer = false
        }
        return integer
    }

    private mutating func skipDigits() {
        while index < bytes.count, bytes[index].isDigit { index += 1 }
    }

    private mutating func requireDigits(_ reason: String) throws {
        guard let next = current, next.isDigit else { throw error(reason) }
        skipDigits()
    }
}

extension UInt8 {
    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}
