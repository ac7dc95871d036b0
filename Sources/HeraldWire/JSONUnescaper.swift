/// Turns the content of an already validated JSON string (between the quotes) into a Swift `String`.
enum JSONUnescaper {
    /// The 16-bit value of four hex digits at `offset`, or `nil` when they are missing or not hex.
    static func hexUnit(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32? {
        guard offset >= 0, bytes.count - offset >= 4 else { return nil }
        var value: UInt32 = 0
        for index in offset..<(offset + 4) {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Unescapes validated string content. Escapes only ever shrink the text, so the result fits in
    /// `content.count` bytes.
    static func string(_ content: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: content.count) { output in
            var read = 0
            var written = 0
            func put(_ byte: UInt8) {
                output[written] = byte
                written += 1
            }
            while read < content.count {
                let byte = content[read]
                guard byte == UInt8(ascii: "\\"), read + 1 < content.count else {
                    put(byte)
                    read += 1
                    continue
                }
                let escape = content[read + 1]
                read += 2
                switch escape {
                case UInt8(ascii: "b"): put(0x08)
                case UInt8(ascii: "f"): put(0x0C)
                case UInt8(ascii: "n"): put(0x0A)
                case UInt8(ascii: "r"): put(0x0D)
                case UInt8(ascii: "t"): put(0x09)
                case UInt8(ascii: "u"):
                    var scalar = hexUnit(content, at: read) ?? 0xFFFD
                    read += 4
                    if (0xD800...0xDBFF).contains(scalar), read + 1 < content.count,
                        content[read] == UInt8(ascii: "\\"), content[read + 1] == UInt8(ascii: "u"),
                        let low = hexUnit(content, at: read + 2), (0xDC00...0xDFFF).contains(low)
                    {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        read += 6
                    }
                    let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    UTF8.encode(unicode, into: put)
                default: put(escape)
                }
            }
            return written
        }
    }
}
