import HeraldAppSigning
import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import Logging
import NIOCore
import Testing

@testable import HeraldAuthorizer

/// Calls to an app's backend against a real local HTTP server: the signed body, and each way there is no answer.
@Suite(.serialized) struct RPCHookTests {
    let hook = RPCHook(logger: Logger(label: "test"))

    func call(_ event: String, data: String = #"{"answer":"B"}"#) -> StageRequests.ClientRPC {
        StageRequests.ClientRPC(
            app: "quiz", event: event, room: "quiz1", data: ByteBuffer(string: data),
            principal: Principal(userID: "42", roles: ["member"], name: "An"), socketID: "1.2")
    }

    func app(_ url: String, timeoutMS: Int = 1000) -> AppConfig {
        AppConfig(
            id: "quiz", key: "k", secret: "quiz-secret",
            rpc: RPCConfig(
                url: url, events: ["rpc.allow", "rpc.error", "rpc.garbage", "rpc.slow"],
                timeoutMilliseconds: timeoutMS))
    }

    func withServer(_ body: (HookTestServer) async throws -> Void) async throws {
        let server = try await HookTestServer()
        do {
            try await body(server)
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    @Test func theBodyIsTheDocumentedShape() {
        #expect(
            String(buffer: RPCHook.body(call("quiz:answer_submit")))
                == #"{"event":"quiz:answer_submit","data":{"answer":"B"},"room":"quiz1","#
                + #""user":{"id":"42","roles":["member"],"name":"An"},"socket_id":"1.2"}"#)
        var anonymous = call("e", data: "")
        anonymous.principal = Principal(userID: "7")
        #expect(
            String(buffer: RPCHook.body(anonymous))
                == #"{"event":"e","data":null,"room":"quiz1","user":{"id":"7","roles":[],"name":null},"socket_id":"1.2"}"#
        )
    }

    @Test func aSignedCallGetsTheBackendsJSONAsItCame() async throws {
        try await withServer { server in
            let answer = try await hook.answer(call("rpc.allow"), app: app(server.url)).get()
            #expect(String(buffer: answer) == #"{"allow": true, "info": {"name": "A"}}"#)
            let seen = try #require(server.seen.first)
            #expect(seen.raw == String(buffer: RPCHook.body(call("rpc.allow"))))
            #expect(seen.signature == HexHMAC.sha256(seen.raw, secret: "quiz-secret"))
            #expect(seen.authorization == nil)
        }
    }

    @Test(arguments: [("rpc.error", ErrorCode.internal), ("rpc.garbage", .internal), ("rpc.slow", .unavailable)])
    func withoutAnAnswerTheCodeSaysWhy(event: String, code: ErrorCode) async throws {
        try await withServer { server in
            let result = await hook.answer(call(event), app: app(server.url, timeoutMS: 300))
            guard case .failure(let error) = result else {
                Issue.record("\(event) was answered")
                return
            }
            #expect(error.code == code)
        }
    }

    @Test func anUnreachableBackendIsUnavailable() async throws {
        let server = try await HookTestServer()
        let url = server.url
        try await server.stop()
        guard case .failure(let error) = await hook.answer(call("rpc.allow"), app: app(url)) else {
            Issue.record("answered by a stopped server")
            return
        }
        #expect(error.code == .unavailable)
    }
}
