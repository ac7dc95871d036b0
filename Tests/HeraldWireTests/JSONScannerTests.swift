import HeraldWire
import NIOCore
import Testing

@Suite("JSONScanner")
struct JSONScannerTests {
    private func scan(_ text: String) throws -> JSONObject {
        try JSONScanner.object(ByteBuffer(string: text))
    }

    @Test func membersInOrderWithKindsAndExactRawSlices() throws {
        let object = try scan(
            #" { "s" : "x\ty" , "n":-12.5e+3,"o":{"a":[1,{}]},"a":[ ],"t":true,"f":false,"z":null } "#)
        #expect(object.members.map(\.key) == ["s", "n", "o", "a", "t", "f", "z"])
        #expect(object.members.map(\.value.kind) == [.string, .number, .object, .array, .bool, .bool, .null])
        #expect(
            object.members.map { String(buffer: $0.value.raw) } == [
                #""x\ty""#, "-12.5e+3", #"{"a":[1,{}]}"#, "[ ]", "true", "false", "null",
            ])
        #expect(object["s"]?.value.string == "x\ty")
        #expect(object["t"]?.value.bool == true)
        #expect(object["f"]?.value.bool == false)
        #expect(object["z"]?.value.isNull == true)
        #expect(object["missing"] == nil)
    }

    @Test func subscriptReturnsTheFirstOfDuplicateKeys() throws {
        let object = try scan(#"{"k":1,"k":2}"#)
        #expect(object.members.count == 2)
        #expect(object["k"]?.value.int64 == 1)
    }

    @Test func slicesShareTheInputStorage() throws {
        let input = ByteBuffer(string: #"{"data":{"big":"payload"}}"#)
        let raw = try #require(try JSONScanner.object(input)["data"]).value.raw
        let inputBase = input.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let rawBase = raw.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(rawBase == inputBase + 8)
    }

    @Test func readsFromTheReaderIndexOnly() throws {
        var input = ByteBuffer(string: "garbage")
        input.moveReaderIndex(forwardBy: input.readableBytes)
        input.writeString(#"{"a":"b"}"#)
        #expect(try JSONScanner.object(input)["a"]?.value.string == "b")
    }

    @Test func lookupDistinguishesKeysSharingAPrefix() throws {
        let object = try scan(
            #"{"timestamq":1,"timestamp":2,"exclude_user_idz":3,"exclude_user_ids":4,"#
                + #""abcdefgh":5,"abcdefg":6,"k\u0065y":7,"":8}"#
        )
        #expect(object["timestamp"]?.value.int64 == 2)
        #expect(object["exclude_user_ids"]?.value.int64 == 4)
        #expect(object["abcdefgh"]?.value.int64 == 5)
        #expect(object["abcdefg"]?.value.int64 == 6)
        #expect(object["key"]?.value.int64 == 7)
        #expect(object[""]?.value.int64 == 8)
        #expect(object["abcdefghi"] == nil)
        #expect(object["timestam"] == nil)
        #expect(object["k\\u0065y"] == nil)
    }

    @Test func objectsReadFromAScanMatchAFreshScan() throws {
        var texts = [
            #"{"o":{"a":1,"b":[1,{"x":{}}],"c":{},"d":[],"e\u0041":"s","f":{"g":{"h":[]}},"#
                + #""i":null,"j":true,"k":-1.5}}"#,
            #"{"o":{}}"#, #"{"o":{"only":[]}}"#, #"{"o":{"k":{}}}"#,
            #"{ "o" : { "a" : [ ] , "b" : { } } , "p" : [ { } ] }"#,
            #"{"o":{"deep":[[[[{"x":[{}]}]]]],"after":"x"},"q":{"r":{"s":1}}}"#,
        ]
        for golden in Golden.all { texts.append(try Fixture.text(golden.name)) }
        for text in texts {
            for member in try scan(text).members where member.value.kind == .object {
                let read = try member.value.object()
                let fresh = try JSONScanner.object(member.value.raw)
                #expect(read.members == fresh.members, "\(text)")
                #expect(read.count == fresh.count)
                for inner in read.members {
                    #expect(read[inner.key] != nil)
                    #expect(fresh[inner.key]?.value == read[inner.key]?.value)
                }
            }
        }
    }

    @Test func unescapesEveryEscapeIncludingSurrogatePairs() throws {
        let object = try scan(#"{"k\u0065y":"q\" b\\ s\/ \b\f\n\r\t \u00e9 \u1EA1 \ud83d\ude00 \u0000"}"#)
        let member = try #require(object.members.first)
        #expect(member.key == "key")
        #expect(member.value.string == "q\" b\\ s/ \u{08}\u{0C}\n\r\t é ạ 😀 \u{0}")
    }

    @Test func passesUnicodeTextThrough() throws {
        let text = "Tiếng Việt: Cảm ơn bạn đã đặt hàng! 🎉👍🏽 — 中文 — عربى"
        var buffer = ByteBuffer(string: #"{"message":"#)
        buffer.writeJSONString(text)
        buffer.writeString("}")
        #expect(try JSONScanner.object(buffer)["message"]?.value.string == text)
    }

    @Test(arguments: [
        ("0", Int64(0)), ("-0", 0), ("42", 42), ("-42", -42),
        ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min),
    ])
    func integersReadAsInt64(text: String, expected: Int64) throws {
        #expect(try scan(#"{"n":\#(text)}"#)["n"]?.value.int64 == expected)
    }

    @Test(arguments: ["9223372036854775808", "-9223372036854775809", "1.0", "1e3", "-0.5", "123456789012345678901234"])
    func nonIntegersAndOverflowAreNotInt64(text: String) throws {
        let value = try #require(try scan(#"{"n":\#(text)}"#)["n"]).value
        #expect(value.kind == .number)
        #expect(value.int64 == nil)
    }

    @Test func unsignedIntegers() throws {
        #expect(try scan(#"{"n":18446744073709551615}"#)["n"]?.value.uint64 == UInt64.max)
        #expect(try scan(#"{"n":18446744073709551616}"#)["n"]?.value.uint64 == nil)
        #expect(try scan(#"{"n":-1}"#)["n"]?.value.uint64 == nil)
    }

    @Test func accessorsReturnNilForOtherKinds() throws {
        let object = try scan(#"{"s":"1","n":1,"b":true}"#)
        #expect(object["s"]?.value.int64 == nil)
        #expect(object["n"]?.value.string == nil)
        #expect(object["n"]?.value.bool == nil)
        #expect(object["b"]?.value.string == nil)
        #expect(throws: WireError.self) { try object["s"]?.value.object() }
        #expect(throws: WireError.self) { try object["s"]?.value.array() }
    }

    @Test func nestedObjectsAndArraysParseOnDemand() throws {
        let object = try scan(#"{"o":{"list":[1,"two",[3],{"four":4}]}}"#)
        let inner = try #require(object["o"]).value.object()
        let list = try #require(inner["list"]).value.array()
        #expect(list.map(\.kind) == [.number, .string, .array, .object])
        #expect(list[1].string == "two")
        #expect(try list[2].array().first?.int64 == 3)
        #expect(try list[3].object()["four"]?.value.int64 == 4)
    }

    @Test func valueAcceptsAnyTopLevelKind() throws {
        #expect(try JSONScanner.value(ByteBuffer(string: " [1,2] ")).kind == .array)
        #expect(try JSONScanner.value(ByteBuffer(string: "\"s\"")).string == "s")
        #expect(try JSONScanner.value(ByteBuffer(string: "null")).isNull)
        #expect(throws: WireError.self) { try JSONScanner.value(ByteBuffer(string: "1 2")) }
    }

    @Test func nestingUpToSixtyFourLevelsIsAccepted() throws {
        let deepest = "{\"a\":" + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}"
        #expect(try scan(deepest).members.count == 1)
        let tooDeep = "{\"a\":" + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"
        #expect(throws: WireError.malformedJSON("", at: 68)) { try scan(tooDeep) }
    }

    @Test func errorsNameTheByteOffset() throws {
        let error = try #require(throws: WireError.self) { try scan(#"{"a":1,}"#) }
        #expect(error == WireError.malformedJSON("", at: 7))
        #expect(error.message.hasPrefix("malformed JSON at byte 7:"))
        #expect(error.code == .invalidPayload)
    }
}
