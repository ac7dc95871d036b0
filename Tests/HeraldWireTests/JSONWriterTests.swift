import Foundation
import HeraldWire
import NIOCore
import Testing

@Suite("JSON writer")
struct JSONWriterTests {
    private func written(_ write: (inout ByteBuffer) -> Int) -> (text: String, count: Int) {
        var buffer = ByteBuffer()
        let count = write(&buffer)
        #expect(count == buffer.readableBytes)
        return (String(buffer: buffer), count)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        let input = "a\"b\\c/d\n\r\t\u{08}\u{0C}\u{00}\u{01}\u{1F}\u{7F}"
        #expect(written { $0.writeJSONString(input) }.text == #""a\"b\\c/d\n\r\t\b\f\u0000\u0001\u001f"# + "\u{7F}\"")
    }

    @Test func nonASCIIPassesThroughAsUTF8() {
        let text = "Xin chào, thế giới! Đặt hàng thành công 🎉 👩‍💻"
        let output = written { $0.writeJSONString(text) }
        #expect(output.text == "\"\(text)\"")
        #expect(output.count == text.utf8.count + 2)
    }

    @Test func emptyString() {
        #expect(written { $0.writeJSONString("") }.text == #""""#)
    }

    @Test func everyASCIICharacterRoundTripsThroughTheScanner() throws {
        let text = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        var buffer = ByteBuffer(string: #"{"s":"#)
        buffer.writeJSONString(text)
        buffer.writeString("}")
        #expect(try JSONScanner.object(buffer)["s"]?.value.string == text)
    }

    @Test func foundationReadsWhatWeWrite() throws {
        let samples = ["plain", "tab\tnew\nline", "\u{0}\u{1}\u{1F}", "quote \" and \\", "Nguyễn Thị Minh Khai 🇻🇳"]
        for sample in samples {
            var buffer = ByteBuffer(string: "[")
            buffer.writeJSONString(sample)
            buffer.writeString("]")
            let decoded = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String]
            #expect(decoded == [sample])
        }
    }

    @Test(arguments: [
        (Int64(0), "0"), (7, "7"), (9, "9"), (10, "10"), (-1, "-1"), (1_752_748_200, "1752748200"),
        (Int64.max, "9223372036854775807"), (Int64.min, "-9223372036854775808"),
    ])
    func signedNumbers(value: Int64, expected: String) {
        #expect(written { $0.writeJSONNumber(value) }.text == expected)
        #expect(written { $0.writeJSONNumber(Int(value)) }.text == expected)
    }

    @Test func unsignedNumbers() {
        #expect(written { $0.writeJSONNumber(UInt64.max) }.text == "18446744073709551615")
        #expect(written { $0.writeJSONNumber(UInt64(100)) }.text == "100")
    }

    @Test func rawValuesPassThroughUnchanged() throws {
        let raw = try #require(try JSONScanner.object(ByteBuffer(string: #"{"d":{"x": [1, "y"]}}"#))["d"]).value.raw
        #expect(written { $0.writeJSONRaw(raw) }.text == #"{"x": [1, "y"]}"#)
    }
}
