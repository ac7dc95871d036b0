import HeraldWire
import NIOCore
import Testing

/// Inputs the scanner must refuse with a `WireError`, never accept and never crash on.
struct MalformedInput: Sendable, CustomTestStringConvertible {
    let label: String
    let bytes: [UInt8]

    init(_ label: String, _ text: String) {
        self.label = label
        self.bytes = Array(text.utf8)
    }

    init(_ label: String, bytes: [UInt8]) {
        self.label = label
        self.bytes = bytes
    }

    /// `{"a":"` + bytes + `"}`: raw bytes placed inside a string.
    init(_ label: String, inString bytes: [UInt8]) {
        self.init(label, bytes: Array(#"{"a":""#.utf8) + bytes + Array(#""}"#.utf8))
    }

    var testDescription: String { label }

    static let corpus: [MalformedInput] = [
        // Not an object at the top.
        MalformedInput("empty", ""), MalformedInput("whitespace only", " \n\t"),
        MalformedInput("array", "[]"), MalformedInput("string", #""s""#), MalformedInput("number", "1"),
        MalformedInput("null", "null"), MalformedInput("true", "true"),
        // Truncated.
        MalformedInput("open brace", "{"), MalformedInput("key only", #"{"a""#), MalformedInput("colon", #"{"a":"#),
        MalformedInput("no close", #"{"a":1"#), MalformedInput("open string", #"{"a":"b"#),
        MalformedInput("open key", #"{"a"#), MalformedInput("open array", #"{"a":[1,2"#),
        MalformedInput("open nested", #"{"a":{"b":{}"#), MalformedInput("cut literal", #"{"a":tr"#),
        MalformedInput("cut escape", #"{"a":"\"#), MalformedInput("cut unicode escape", #"{"a":"\u00"#),
        // Commas, colons, keys.
        MalformedInput("trailing comma", #"{"a":1,}"#), MalformedInput("array trailing comma", #"{"a":[1,2,]}"#),
        MalformedInput("leading comma", #"{,"a":1}"#), MalformedInput("lone comma", "{,}"),
        MalformedInput("double comma", #"{"a":1,,"b":2}"#), MalformedInput("missing comma", #"{"a":1 "b":2}"#),
        MalformedInput("missing colon", #"{"a" 1}"#), MalformedInput("single quotes", "{'a':1}"),
        MalformedInput("bare key", "{a:1}"), MalformedInput("number key", "{1:1}"),
        MalformedInput("array comma only", #"{"a":[,]}"#), MalformedInput("missing value", #"{"a":}"#),
        // Trailing garbage.
        MalformedInput("trailing letter", #"{"a":1}x"#), MalformedInput("two objects", #"{"a":1}{}"#),
        MalformedInput("trailing NUL", bytes: Array(#"{"a":1}"#.utf8) + [0]),
        // Numbers.
        MalformedInput("leading zero", #"{"a":01}"#), MalformedInput("negative leading zero", #"{"a":-01}"#),
        MalformedInput("bare minus", #"{"a":-}"#), MalformedInput("trailing dot", #"{"a":1.}"#),
        MalformedInput("leading dot", #"{"a":.5}"#), MalformedInput("empty exponent", #"{"a":1e}"#),
        MalformedInput("signed empty exponent", #"{"a":1e+}"#), MalformedInput("plus sign", #"{"a":+1}"#),
        MalformedInput("NaN", #"{"a":NaN}"#), MalformedInput("Infinity", #"{"a":Infinity}"#),
        MalformedInput("hex", #"{"a":0x10}"#), MalformedInput("number then letter", #"{"a":1a}"#),
        // Literals.
        MalformedInput("capital True", #"{"a":True}"#), MalformedInput("nul", #"{"a":nul}"#),
        MalformedInput("falsey", #"{"a":falsey}"#), MalformedInput("undefined", #"{"a":undefined}"#),
        // Escapes and surrogates.
        MalformedInput("unknown escape", #"{"a":"\x41"}"#), MalformedInput("escaped apostrophe", #"{"a":"\'"}"#),
        MalformedInput("short unicode escape", #"{"a":"\u12"}"#), MalformedInput("non-hex escape", #"{"a":"\u12G4"}"#),
        MalformedInput("lone high surrogate", #"{"a":"\ud800"}"#),
        MalformedInput("lone low surrogate", #"{"a":"\udc00"}"#),
        MalformedInput("high then letter", #"{"a":"\ud800\u0041"}"#),
        MalformedInput("high then high", #"{"a":"\ud800\ud800"}"#),
        MalformedInput("reversed pair", #"{"a":"\ude00\ud83d"}"#),
        MalformedInput("lone surrogate in key", #"{"\ud83d":1}"#),
        // Control characters.
        MalformedInput("raw newline in string", inString: [0x0A]),
        MalformedInput("raw tab in string", inString: [0x09]),
        MalformedInput("raw NUL in string", inString: [0x00]), MalformedInput("raw 0x1f in string", inString: [0x1F]),
        MalformedInput("NUL outside strings", bytes: Array(#"{"a":"#.utf8) + [0] + Array("1}".utf8)),
        MalformedInput("vertical tab as whitespace", bytes: [0x7B, 0x0B, 0x7D]),
        MalformedInput("form feed as whitespace", bytes: [0x7B, 0x0C, 0x7D]),
        // Invalid UTF-8.
        MalformedInput("0xFF", inString: [0xFF]), MalformedInput("lone continuation", inString: [0x80]),
        MalformedInput("overlong slash", inString: [0xC0, 0xAF]),
        MalformedInput("overlong NUL", inString: [0xC0, 0x80]),
        MalformedInput("overlong three bytes", inString: [0xE0, 0x80, 0xAF]),
        MalformedInput("overlong four bytes", inString: [0xF0, 0x80, 0x80, 0xAF]),
        MalformedInput("encoded surrogate", inString: [0xED, 0xA0, 0x80]),
        MalformedInput("beyond U+10FFFF", inString: [0xF4, 0x90, 0x80, 0x80]),
        MalformedInput("lead 0xF5", inString: [0xF5, 0x80, 0x80, 0x80]),
        MalformedInput("truncated euro", inString: [0xE2, 0x82]),
        MalformedInput("truncated emoji", inString: [0xF0, 0x9F, 0x98]),
        MalformedInput("truncated at end of input", bytes: Array(#"{"a":""#.utf8) + [0xE1, 0xBA]),
        MalformedInput("bad second byte", inString: [0xE1, 0x41, 0x80]),
        MalformedInput("invalid UTF-8 in key", bytes: Array(#"{""#.utf8) + [0xC3] + Array(#"":1}"#.utf8)),
        MalformedInput("non-ASCII outside strings", bytes: Array("{".utf8) + [0xC3, 0xA9] + Array("}".utf8)),
        MalformedInput("byte order mark", bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8)),
        // Nesting.
        MalformedInput("65 levels", String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)),
        MalformedInput("100000 open brackets", #"{"a":"# + String(repeating: "[", count: 100_000)),
        MalformedInput("mismatched brackets", #"{"a":[1}"#), MalformedInput("mismatched braces", #"{"a":{"b":1]}"#),
    ]
}

@Suite("Malformed JSON")
struct MalformedJSONTests {
    @Test("refused with INVALID_PAYLOAD naming a byte offset", arguments: MalformedInput.corpus)
    func refused(input: MalformedInput) throws {
        let error = try #require(throws: WireError.self) { try JSONScanner.object(ByteBuffer(bytes: input.bytes)) }
        #expect(error.code == .invalidPayload)
        #expect(error.message.hasPrefix("malformed JSON at byte "))
    }

    @Test("refused as a frame payload too", arguments: MalformedInput.corpus)
    func refusedAsFrame(input: MalformedInput) throws {
        #expect(throws: WireError.self) { try WireMessage.decode(frame: ByteBuffer(bytes: input.bytes)) }
    }

    @Test func validNeighboursOfTheCorpusAreAccepted() throws {
        let valid = [
            "{}", " {} ", "{\"a\":[]}", #"{"a":-0}"#, #"{"a":0.5e-10}"#, #"{"a":1E+2}"#, #"{"a":"\ud83d\ude00"}"#,
            #"{"a":"\u00e9\u20AC"}"#, #"{"":""}"#, "{\"a\":\"\u{7F}\"}", "{\r\n\t\"a\" : 1 }",
            #"{"a":"Cảm ơn 🎉"}"#,
        ]
        for text in valid {
            #expect(throws: Never.self, "\(text)") { try JSONScanner.object(ByteBuffer(string: text)) }
        }
    }
}
