import Foundation
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore
import Testing

/// `client-rpc` is written and read by hand only (its `data` is the client's JSON as it came): the fixture
/// docs/wire-protocol.md quotes reads into the call and writes back byte for byte.
@Suite("Stage codec: client-rpc")
struct StageCodecClientRPCTests {
    typealias S = StageRequests

    func member(_ key: String, of fixture: String, sourceFile: String = #filePath) throws -> ByteBuffer {
        let url = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("HeraldWireTests/Fixtures/\(fixture).json")
        let frame = try JSONScanner.object(ByteBuffer(bytes: try Data(contentsOf: url)))
        return try #require(frame[key]?.value.raw)
    }

    @Test func theFixtureReadsAndWritesBackExactly() throws {
        let params = try member("params", of: "request-rpc")
        let call = try S.ClientRPC(params: params)
        #expect(call.app == "lottery" && call.event == "quiz:answer_submit" && call.room == "quiz1")
        #expect(call.socketID == "1538972513.1078442970")
        #expect(String(buffer: call.data) == #"{"questionId":3,"answer":"B"}"#)
        #expect(call.principal.userID == "42" && call.principal.roles == ["member"] && call.principal.name == "An")
        #expect(String(buffer: call.params) == String(buffer: params))

        let result = try member("result", of: "response-rpc")
        let answer = try S.ClientRPCAnswer(params: result)
        #expect(String(buffer: answer.answer) == #"{"success":true,"correct":true,"responseTime":840,"rank":2}"#)
        #expect(String(buffer: answer.params) == String(buffer: result))
    }

    @Test func absentDataIsNullBothWays() throws {
        let call = S.ClientRPC(
            app: "a", event: "e", room: "r", data: ByteBuffer(), principal: Principal(userID: "1"), socketID: "1.2")
        #expect(String(buffer: call.params).contains(#""data":null"#))
        let read = try S.ClientRPC(params: call.params)
        #expect(read.data.readableBytes == 0)
        #expect(read == call)
    }

    @Test(arguments: [
        #"{"app":"a","event":"e","room":"r","principal":{"user_id":"1","roles":[],"channels":[]},"socket_id":"1.2"}"#,
        #"{"app":"a","data":1,"room":"r","principal":{"user_id":"1","roles":[],"channels":[]},"socket_id":"1.2"}"#,
        #"{"app":"a","data":1,"event":"e","room":"r","socket_id":"1.2"}"#,
        #"{"app":"a","data":1,"event":"e","room":"r","principal":{"user_id":"1","roles":[],"channels":[]}}"#,
    ])
    func aMissingMemberIsInvalidPayload(text: String) {
        #expect(throws: HeraldError.self) { try S.ClientRPC(params: ByteBuffer(string: text)) }
    }
}
