import HeraldDaemonKit
import HeraldModel
import NIOCore
import Testing

/// The hand-written decoder: members in any order, unknown members ignored, `null` read as absent, and every
/// bad input an `INVALID_PAYLOAD` naming the request and the member.
@Suite("Stage codec: decoding")
struct StageCodecDecodingTests {
    typealias S = StageRequests

    func decode<Value: StageCodable>(_ type: Value.Type, _ text: String) throws -> Value {
        try S.decode(type, from: ByteBuffer(string: text))
    }

    /// The message of the `HeraldError` that decoding `text` throws; the code must be `INVALID_PAYLOAD`.
    func refusal<Value: StageCodable>(
        _ type: Value.Type, _ text: String, sourceLocation: SourceLocation = #_sourceLocation
    ) -> String? {
        do {
            _ = try decode(type, text)
            Issue.record("\(text) was accepted", sourceLocation: sourceLocation)
            return nil
        } catch let error as HeraldError {
            #expect(error.code == .invalidPayload, sourceLocation: sourceLocation)
            return error.message
        } catch {
            Issue.record("\(text) threw \(error), not a HeraldError", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test func membersInAnyOrderUnknownOnesIgnoredNullIsAbsent() throws {
        let sorted = try decode(S.AuthorizeConnect.self, #"{"connection":"c1","token":"t"}"#)
        let reversed = try decode(
            S.AuthorizeConnect.self, #"{"token":"t","later":{"x":[1,2,{"y":null}]},"connection":"c1","n":1.5e3}"#)
        #expect(sorted.token == "t" && sorted.connection == "c1")
        #expect(reversed.token == "t" && reversed.connection == "c1")
        let nulls = try decode(S.AuthorizeConnect.self, #" { "connection" : null , "token" : "t" } "#)
        #expect(nulls.token == "t" && nulls.connection == nil)

        let principal = try decode(
            Principal.self,
            #"{"user_id":"42","name":null,"expires_at":null,"token_id":null,"roles":[],"channels":[],"extra":true}"#)
        #expect(principal == Principal(userID: "42"))
        let change = try decode(
            S.InterestChange.self, #"{"remove":["b"],"reset":null,"add":[{"offset":null,"channel":"a","epoch":null}]}"#)
        #expect(change.reset == nil && change.add == [.init(channel: "a")] && change.remove == ["b"])
    }

    @Test func escapedTextIsUnescaped() throws {
        let ask = try decode(S.AuthorizeConnect.self, #"{"t\u006fken":"a\"b\\c\/d\n\u00e9\ud83c\udf89"}"#)
        #expect(ask.token == "a\"b\\c/d\né🎉")
    }

    @Test func missingRequiredMembers() {
        #expect(refusal(S.AuthorizeConnect.self, "{}") == "authorize-connect: token: missing")
        #expect(refusal(S.AuthorizeConnect.self, #"{"token":null}"#) == "authorize-connect: token: missing")
        #expect(refusal(S.ConnectVerdict.self, "{}") == "authorize-connect answer: principal: missing")
        #expect(
            refusal(S.ConnectVerdict.self, #"{"principal":{"roles":[],"channels":[]}}"#)
                == "authorize-connect answer: principal.user_id: missing")
        #expect(
            refusal(S.ConnectVerdict.self, #"{"principal":{"user_id":"1","channels":[]}}"#)
                == "authorize-connect answer: principal.roles: missing")
        #expect(
            refusal(S.ConnectVerdict.self, #"{"principal":{"user_id":"1","roles":[]}}"#)
                == "authorize-connect answer: principal.channels: missing")
        #expect(
            refusal(S.AuthorizeSubscribe.self, #"{"channel":"c"}"#) == "authorize-subscribe: principal: missing")
        #expect(
            refusal(S.AuthorizeSubscribe.self, #"{"principal":{"user_id":"1","roles":[],"channels":[]}}"#)
                == "authorize-subscribe: channel: missing")
        #expect(refusal(S.SubscribeVerdict.self, "{}") == "authorize-subscribe answer: allowed: missing")
        #expect(refusal(S.InterestChange.self, #"{"add":[]}"#) == "interest: remove: missing")
        #expect(refusal(S.InterestChange.self, #"{"remove":[]}"#) == "interest: add: missing")
        #expect(refusal(S.InterestChange.self, #"{"add":[{}],"remove":[]}"#) == "interest: add[0].channel: missing")
        #expect(refusal(S.InterestPositions.self, "{}") == "interest answer: positions: missing")
        #expect(
            refusal(S.InterestPositions.self, #"{"positions":{"a":{"epoch":"e"}}}"#)
                == "interest answer: positions.a.offset: missing")
        #expect(refusal(S.ConnectionsClosed.self, "{}") == "connections-closed: connections: missing")
    }

    @Test func wrongTypes() {
        #expect(refusal(S.AuthorizeConnect.self, #"{"token":5}"#) == "authorize-connect: token: must be a string")
        #expect(
            refusal(S.AuthorizeConnect.self, #"{"token":"t","connection":["c"]}"#)
                == "authorize-connect: connection: must be a string")
        #expect(
            refusal(S.ConnectVerdict.self, #"{"principal":"42"}"#)
                == "authorize-connect answer: principal: must be an object")
        #expect(
            refusal(S.ConnectVerdict.self, #"{"principal":{"user_id":42,"roles":[],"channels":[]}}"#)
                == "authorize-connect answer: principal.user_id: must be a string")
        #expect(
            refusal(
                S.AuthorizeSubscribe.self, #"{"channel":"c","principal":{"user_id":"1","roles":["a",2],"channels":[]}}"#
            )
                == "authorize-subscribe: principal.roles[1]: must be a string")
        #expect(
            refusal(
                S.AuthorizeSubscribe.self, #"{"channel":"c","principal":{"user_id":"1","roles":"a","channels":[]}}"#)
                == "authorize-subscribe: principal.roles: must be an array")
        #expect(
            refusal(
                S.ConnectVerdict.self,
                #"{"principal":{"user_id":"1","roles":[],"channels":[],"expires_at":1.5}}"#)
                == "authorize-connect answer: principal.expires_at: must be an integer")
        #expect(
            refusal(
                S.ConnectVerdict.self,
                #"{"principal":{"user_id":"1","roles":[],"channels":[],"expires_at":9223372036854775808}}"#)
                == "authorize-connect answer: principal.expires_at: must be an integer")
        #expect(
            refusal(S.SubscribeVerdict.self, #"{"allowed":"yes"}"#)
                == "authorize-subscribe answer: allowed: must be true or false")
        #expect(
            refusal(S.InterestChange.self, #"{"add":["a"],"remove":[]}"#) == "interest: add[0]: must be an object")
        #expect(
            refusal(S.InterestChange.self, #"{"add":[{"channel":"a","offset":"1"}],"remove":[]}"#)
                == "interest: add[0].offset: must be an integer")
        #expect(
            refusal(S.InterestChange.self, #"{"add":[],"remove":[],"reset":1}"#)
                == "interest: reset: must be true or false")
        #expect(
            refusal(S.InterestPositions.self, #"{"positions":{"thread.1":[]}}"#)
                == "interest answer: positions.thread.1: must be an object")
        #expect(
            refusal(S.ConnectionsClosed.self, #"{"connections":[null]}"#)
                == "connections-closed: connections[0]: must be a string")
    }

    @Test(arguments: ["", " ", "[]", #""token""#, "null", "42", "true", #"[{"token":"t"}]"#])
    func anythingButAnObjectIsRefused(text: String) throws {
        let message = try #require(refusal(S.AuthorizeConnect.self, text))
        #expect(message.hasPrefix("authorize-connect: malformed JSON at byte "))
    }

    @Test(arguments: [
        #"{"token":"t""#, #"{"token":"t",}"#, #"{"token":"t"}}"#, #"{'token':'t'}"#, #"{"token":"\x"}"#,
        "{\"token\":\"a\u{01}b\"}", #"{"token":"\ud800"}"#,
    ])
    func malformedJSONIsRefused(text: String) throws {
        let message = try #require(refusal(S.AuthorizeConnect.self, text))
        #expect(message.hasPrefix("authorize-connect: malformed JSON at byte "))
    }

    @Test func everyTruncationOfARequestIsRefusedWithoutCrashing() throws {
        let principal = StageCodecSamples.principals()[1]
        let full = S.encode(
            S.AuthorizeSubscribe(principal: principal, channel: "team.7.board", token: "é\"🎉", socketID: "1.2"))
        for length in 0..<full.readableBytes {
            let prefix = full.getSlice(at: full.readerIndex, length: length)!
            #expect(throws: HeraldError.self) { try S.decode(S.AuthorizeSubscribe.self, from: prefix) }
        }
        let interest = S.encode(
            S.InterestChange(reset: true, add: [.init(channel: "a", epoch: "e", offset: 4)], remove: ["b"]))
        for length in 0..<interest.readableBytes {
            let prefix = interest.getSlice(at: interest.readerIndex, length: length)!
            #expect(throws: HeraldError.self) { try S.decode(S.InterestChange.self, from: prefix) }
        }
    }
}
