import NIOCore

/// Writing JSON straight into a buffer, with no intermediate `String` or `Data`.
extension ByteBuffer {
    /// Writes `string` as a quoted JSON string: `"` and `\` are escaped, control characters become `\n`, `\t`,
    /// `\r`, `\b`, `\f` or `\u00XX`, and everything else (all non-ASCII text included) passes through as UTF-8.
    /// Returns the number of bytes written.
    @discardableResult
    public mutating func writeJSONString(_ string: String) -> Int {
        var string = string
        return string.withUTF8 { utf8 in writeJSONString(utf8: UnsafeRawBufferPointer(utf8)) }
    }

    /// Writes `raw`'s readable bytes unchanged. The caller vouches that they are one valid JSON value, as every
    /// `JSONValueRef.raw` is. Returns the number of bytes written.
    @discardableResult
    public mutating func writeJSONRaw(_ raw: ByteBuffer) -> Int {
        writeImmutableBuffer(raw)
    }

    /// Writes `value` in decimal. Returns the number of bytes written.
    @discardableResult
    public mutating func writeJSONNumber(_ value: Int64) -> Int {
        guard value < 0 else { return writeJSONNumber(UInt64(value)) }
        let sign = writeInteger(UInt8(ascii: "-"))
        return sign + writeJSONNumber(value.magnitude)
    }

    /// Writes `value` in decimal. Returns the number of bytes written.
    @discardableResult
    public mutating func writeJSONNumber(_ value: Int) -> Int {
        writeJSONNumber(Int64(value))
    }

    /// Writes `value` in decimal. Returns the number of bytes written.
    @discardableResult
    public mutating func writeJSONNumber(_ value: UInt64) -> Int {
        writeWithUnsafeMutableBytes(minimumWritableBytes: 20) { output in
            var digits = 1
            var rest = value
            while rest >= 10 {
                rest /= 10
                digits += 1
            }
            rest = value
            var position = digits
            repeat {
                position -= 1
                output[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            return digits
        }
    }

    /// Writes `elements` as a JSON array, each through `write`.
    public mutating func writeJSONArray<Element>(_ elements: [Element], _ write: (inout ByteBuffer, Element) -> Void) {
        writeInteger(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { writeInteger(UInt8(ascii: ",")) }
            write(&self, element)
        }
        writeInteger(UInt8(ascii: "]"))
    }

    /// Writes `value` as `true` or `false`.
    public mutating func writeJSONBool(_ value: Bool) {
        if value { writeStaticString("true") } else { writeStaticString("false") }
    }

    private mutating func writeJSONString(utf8: UnsafeRawBufferPointer) -> Int {
        let start = writerIndex
        reserveCapacity(minimumWritableBytes: utf8.count + 2)
        writeInteger(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            writeBytes(UnsafeRawBufferPointer(rebasing: utf8[runStart..<index]))
            writeJSONEscape(byte)
            runStart = index + 1
        }
        writeBytes(UnsafeRawBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        writeInteger(UInt8(ascii: "\""))
        return writerIndex - start
    }

    private mutating func writeJSONEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): writeStaticString(#"\""#)
        case UInt8(ascii: "\\"): writeStaticString(#"\\"#)
        case 0x0A: writeStaticString(#"\n"#)
        case 0x0D: writeStaticString(#"\r"#)
        case 0x09: writeStaticString(#"\t"#)
        case 0x08: writeStaticString(#"\b"#)
        case 0x0C: writeStaticString(#"\f"#)
        default:
            let hex: StaticString = "0123456789abcdef"
            writeStaticString(#"\u00"#)
            writeInteger(hex.utf8Start[Int(byte >> 4)])
            writeInteger(hex.utf8Start[Int(byte & 0x0F)])
        }
    }
}
