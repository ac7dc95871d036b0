extension JSONCursor {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// A mask with the high bit set in (at least) the first byte of `word` equal to zero; bits above the first
    /// match may be spurious, so only the lowest set bit is meaningful.
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 { (word &- ones) & ~word & highs }

    /// The lowest set bit marks the first of the 8 bytes that a string scan must look at: a quote, a backslash,
    /// and when validating also control characters and non-ASCII bytes.
    @inline(__always)
    private func specialBytes(_ word: UInt64) -> UInt64 {
        let quotes = Self.zeroBytes(word ^ (Self.ones &* UInt64(UInt8(ascii: "\""))))
        let backslashes = Self.zeroBytes(word ^ (Self.ones &* UInt64(UInt8(ascii: "\\"))))
        guard validating else { return quotes | backslashes }
        let controls = (word &- Self.ones &* 0x20) & ~word & Self.highs
        return quotes | backslashes | controls | (word & Self.highs)
    }

    /// Scans a string starting on its opening quote and ends just past the closing one. Rejects control
    /// characters, invalid UTF-8, unknown escapes and unpaired surrogates. Returns whether it holds an escape.
    mutating func scanString() throws -> Bool {
        let open = index
        index += 1
        var escaped = false
        while true {
            // Eight plain bytes at a time.
            while bytes.count - index >= 8 {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let special = specialBytes(word)
                if special == 0 {
                    index += 8
                } else {
                    index += special.trailingZeroBitCount / 8
                    break
                }
            }
            guard index < bytes.count else { throw error("unterminated string", at: open) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return escaped
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
                if validating {
                    try scanEscape()
                } else {
                    index += 2
                }
            } else if !validating || byte >= 0x20 && byte < 0x80 {
                index += 1
            } else if byte < 0x20 {
                throw error("control character 0x\(String(byte, radix: 16)) in a string; escape it")
            } else {
                try scanUTF8Sequence(lead: byte)
            }
        }
    }

    private mutating func scanEscape() throws {
        let start = index
        guard index + 1 < bytes.count else { throw error("unterminated escape", at: start) }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 2
        case UInt8(ascii: "u"):
            guard let unit = JSONUnescaper.hexUnit(bytes, at: index + 2) else {
                throw error("\\u must be followed by four hex digits", at: start)
            }
            index += 6
            if (0xDC00...0xDFFF).contains(unit) {
                throw error("unpaired low surrogate \\u\(String(unit, radix: 16))", at: start)
            }
            if (0xD800...0xDBFF).contains(unit) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u"), let low = JSONUnescaper.hexUnit(bytes, at: index + 2),
                    (0xDC00...0xDFFF).contains(low)
                else {
                    throw error("unpaired high surrogate \\u\(String(unit, radix: 16))", at: start)
                }
                index += 6
            }
        default:
            throw error("invalid escape; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", at: start)
        }
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing past
    /// U+10FFFF) whose lead byte is at the cursor.
    private mutating func scanUTF8Sequence(lead: UInt8) throws {
        let count: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: count = 2
        case 0xE0:
            count = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: count = 3
        case 0xED:
            count = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            count = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: count = 4
        case 0xF4:
            count = 4
            secondRange = 0x80...0x8F
        default: throw error("invalid UTF-8 lead byte 0x\(String(lead, radix: 16))")
        }
        guard bytes.count - index >= count else { throw error("truncated UTF-8 sequence") }
        guard secondRange.contains(bytes[index + 1]) else { throw error("invalid UTF-8 sequence") }
        for offset in 2..<count where bytes[index + offset] & 0xC0 != 0x80 {
            throw error("invalid UTF-8 sequence")
        }
        index += count
    }
}
