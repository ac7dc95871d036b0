/// A position in JSON text with strict RFC 8259 validation, with every read bounds-checked.
///
/// The cursor validates everything it passes over (structure, strings, UTF-8, escapes, numbers, depth) and
/// reports where each value starts and ends, so callers can slice values out without copying them. Nested
/// containers are skipped iteratively, so hostile nesting costs no stack.
struct JSONCursor {
    /// Where one value was found, and what `JSONValueRef.flag` should say about it.
    struct Span {
        var kind: JSONValueRef.Kind
        var start: Int
        var end: Int
        var flag: Bool
    }

    let bytes: UnsafeRawBufferPointer
    /// False when the text is known to be valid already (a slice of a validated value): strings are then
    /// skipped without checking UTF-8 or escapes.
    let validating: Bool
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer, validating: Bool = true) {
        self.bytes = bytes
        self.validating = validating
    }

    var isAtEnd: Bool { index >= bytes.count }

    /// The byte at the cursor, or `nil` at the end of input.
    @inline(__always)
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    func error(_ reason: String, at offset: Int? = nil) -> WireError {
        WireError.malformedJSON(reason, at: offset ?? index)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Scans the value at the cursor (whitespace already skipped). A container found here sits at nesting
    /// level `depth`; the top-level value is level 1.
    @inline(__always)
    mutating func scanValue(depth: Int) throws -> Span {
        var unused: [JSONObject.Entry] = []
        return try scanValue(depth: depth, members: &unused, recording: false)
    }

    /// Scans the value at the cursor; when it is an object and `recording` is set, also appends its members to
    /// `members` (offsets counted from the object's first byte), so it need not be scanned again when read.
    mutating func scanValue(depth: Int, members: inout [JSONObject.Entry], recording: Bool = true) throws -> Span {
        let start = index
        guard let byte = current else { throw error("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            try skipContainer(depth: depth, members: &members, recording: recording)
            return Span(kind: .object, start: start, end: index, flag: false)
        case UInt8(ascii: "["):
            try skipContainer(depth: depth, members: &members, recording: false)
            return Span(kind: .array, start: start, end: index, flag: false)
        default:
            return try scanScalar()
        }
    }

    /// The table entry for one member. Offsets count from `base`.
    func entry(key: Span, value: Span, base: Int = 0, nested: Int32 = -1) -> JSONObject.Entry {
        let text = UnsafeRawBufferPointer(rebasing: bytes[(key.start + 1)..<(key.end - 1)])
        return JSONObject.Entry(
            keyPrefix: JSONScalar.prefix(text), keyStart: UInt32(key.start - base), keyLength: UInt32(text.count),
            valueStart: UInt32(value.start - base), valueEnd: UInt32(value.end - base), nested: nested,
            kind: value.kind, keyEscaped: key.flag, flag: value.flag
        )
    }

    /// Scans a string, number or literal at the cursor.
    @inline(__always)
    private mutating func scanScalar() throws -> Span {
        let start = index
        guard let byte = current else { throw error("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "\""):
            let escaped = try scanString()
            return Span(kind: .string, start: start, end: index, flag: escaped)
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

    /// Steps into the object or array at the cursor. Returns `false` (and steps past it) when it is empty.
    @inline(__always)
    mutating func open() -> Bool {
        let close = bytes[index] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
        index += 1
        skipWhitespace()
        guard current == close else { return true }
        index += 1
        return false
    }

    /// Scans an object key and the `:` after it; the cursor ends on the value.
    @inline(__always)
    mutating func scanKey() throws -> Span {
        guard current == UInt8(ascii: "\"") else {
            throw error(isAtEnd ? "unexpected end of input inside an object" : "expected a string key")
        }
        let start = index
        let escaped = try scanString()
        let key = Span(kind: .string, start: start, end: index, flag: escaped)
        skipWhitespace()
        guard current == UInt8(ascii: ":") else {
            throw error(isAtEnd ? "unexpected end of input, expected ':'" : "expected ':' after an object key")
        }
        index += 1
        skipWhitespace()
        return key
    }

    /// After a member or element: steps over `,` and returns `true` when another follows, or steps over the
    /// closing `}` (`inObject`) or `]` and returns `false`.
    @inline(__always)
    mutating func next(inObject: Bool) throws -> Bool {
        skipWhitespace()
        guard let byte = current else {
            throw error(
                inObject ? "unexpected end of input inside an object" : "unexpected end of input inside an array")
        }
        index += 1
        if byte == UInt8(ascii: ",") {
            skipWhitespace()
            return true
        }
        if byte == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) { return false }
        throw error(
            inObject ? "expected ',' or '}' after an object member" : "expected ',' or ']' after an array element",
            at: index - 1)
    }

    /// Validates the object or array at the cursor, sitting at nesting level `depth`, and steps past it.
    /// Iterative: one bit per open level records whether it is an object. With `recording`, the members of the
    /// outermost object are appended to `members`.
    private mutating func skipContainer(
        depth: Int, members: inout [JSONObject.Entry], recording: Bool
    ) throws {
        let base = index
        if recording { members.reserveCapacity(16) }
        var objects: UInt64 = 0
        var level = 0
        var atValue = true
        var key = Span(kind: .string, start: 0, end: 0, flag: false)
        var valueStart = 0
        while true {
            if atValue {
                let byte = bytes[index]
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    guard depth + level <= JSONScanner.maximumDepth else {
                        throw error("nesting deeper than \(JSONScanner.maximumDepth) levels")
                    }
                    let isObject = byte == UInt8(ascii: "{")
                    if isObject { objects |= 1 << UInt64(level) } else { objects &= ~(1 << UInt64(level)) }
                    level += 1
                    if open() {
                        if isObject {
                            let scanned = try scanKey()
                            if recording, level == 1 {
                                key = scanned
                                valueStart = index
                            }
                        }
                        guard !isAtEnd else { throw error("unexpected end of input, expected a value") }
                        continue
                    }
                    level -= 1
                    if level == 0 { return }
                    if recording, level == 1 {
                        let kind: JSONValueRef.Kind = isObject ? .object : .array
                        let value = Span(kind: kind, start: valueStart, end: index, flag: false)
                        members.append(entry(key: key, value: value, base: base))
                    }
                } else {
                    let scalar = try scanScalar()
                    if recording, level == 1 { members.append(entry(key: key, value: scalar, base: base)) }
                }
                atValue = false
            }
            let inObject = objects & (1 << UInt64(level - 1)) != 0
            if try next(inObject: inObject) {
                if inObject {
                    let scanned = try scanKey()
                    if recording, level == 1 {
                        key = scanned
                        valueStart = index
                    }
                }
                guard !isAtEnd else { throw error("unexpected end of input, expected a value") }
                atValue = true
            } else {
                level -= 1
                if level == 0 { return }
                if recording, level == 1 {
                    let kind: JSONValueRef.Kind = inObject ? .object : .array
                    let value = Span(kind: kind, start: valueStart, end: index, flag: false)
                    members.append(entry(key: key, value: value, base: base))
                }
            }
        }
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
