/// Conversions of validated scalar JSON text, shared by `JSONValueRef` and `JSONObject`'s direct reads.
enum JSONScalar {
    /// The text of a string value; `quoted` includes both quotes.
    static func string(_ quoted: UnsafeRawBufferPointer, escaped: Bool) -> String {
        let content = UnsafeRawBufferPointer(rebasing: quoted[1..<(quoted.count - 1)])
        return escaped ? JSONUnescaper.string(content) : String(decoding: content, as: UTF8.self)
    }

    /// The value of validated integer text (`-?[0-9]+`), or `nil` when it does not fit.
    static func int64(_ digits: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        let negative = digits.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var value: Int64 = 0
        while index < digits.count {
            let digit = Int64(digits[index] &- UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// The value of validated non-negative integer text, or `nil` when it is negative or does not fit.
    static func uint64(_ digits: UnsafeRawBufferPointer) -> UInt64? {
        guard digits.first != UInt8(ascii: "-") else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.addingReportingOverflow(UInt64(byte &- UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { return nil }
            value = next
        }
        return value
    }

    /// Up to the first 8 bytes of `text`, little-endian, zero-padded: with the length, a cheap first test of
    /// whether two keys are equal.
    @inline(__always)
    static func prefix(_ text: UnsafeRawBufferPointer) -> UInt64 {
        if text.count >= 8 { return UInt64(littleEndian: text.loadUnaligned(as: UInt64.self)) }
        var word: UInt64 = 0
        for index in 0..<min(text.count, 8) { word |= UInt64(text[index]) << UInt64(8 * index) }
        return word
    }
}
