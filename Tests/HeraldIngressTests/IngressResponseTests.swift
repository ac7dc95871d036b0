import Foundation
import HeraldModel
import NIOCore
import NIOHTTP1
import Testing

@testable import HeraldIngress

@Suite("IngressResponse")
struct IngressResponseTests {
    func json(_ response: IngressResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
        return try #require(object as? [String: Any])
    }

    @Test(arguments: ErrorCode.allCases)
    func errorsHaveOneShapeAndTheirCodesStatus(_ code: ErrorCode) throws {
        let response = IngressResponse.error(HeraldError(code, "what \"went\" wrong\n"))
        #expect(Int(response.status.code) == code.httpStatus)
        let body = try json(response)
        #expect(body["ok"] as? Bool == false)
        let error = try #require(body["error"] as? [String: Any])
        #expect(error["code"] as? String == code.rawValue)
        #expect(error["message"] as? String == "what \"went\" wrong\n")
        #expect(Set(body.keys) == ["ok", "error"])
        #expect(Set(error.keys) == ["code", "message"])
        let retry = response.headers.first(name: "Retry-After")
        #expect(retry == ([.unavailable, .rateLimitExceeded].contains(code) ? "1" : nil))
    }

    @Test func exactErrorBytes() {
        let response = IngressResponse.error(HeraldError(.invalidPayload, "event: required"))
        #expect(
            String(buffer: response.body)
                == #"{"ok":false,"error":{"code":"INVALID_PAYLOAD","message":"event: required"}}"#)
    }

    @Test func methodNotAllowedCarriesAllow() throws {
        let response = IngressResponse.methodNotAllowed(path: "/health", method: .POST, allowed: [.GET])
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers.first(name: "Allow") == "GET")
        let error = try #require(try json(response)["error"] as? [String: Any])
        #expect(error["code"] as? String == "METHOD_NOT_ALLOWED")
    }

    @Test func notFoundIs404() throws {
        let response = IngressResponse.notFound(path: "/nope")
        #expect(response.status == .notFound)
        let error = try #require(try json(response)["error"] as? [String: Any])
        #expect(error["code"] as? String == "NOT_FOUND")
    }

    @Test func acceptedBodies() {
        #expect(String(buffer: IngressResponse.accepted(id: EventID("evt_1")!).body) == #"{"ok":true,"id":"evt_1"}"#)
        let ids = [EventID("a")!, EventID("b")!]
        #expect(String(buffer: IngressResponse.accepted(ids: ids).body) == #"{"ok":true,"ids":["a","b"]}"#)
        #expect(IngressResponse.accepted(ids: ids).status == .accepted)
    }

    @Test func healthBodies() throws {
        let up = PipelineHealth.response([(.ingress, true), (.authorizer, true), (.batcher, true), (.wsEdge, true)])
        #expect(up.status == .ok)
        #expect(
            String(buffer: up.body)
                == #"{"status":"ok","stages":{"ingress":"up","authorizer":"up","batcher":"up","ws-edge":"up"}}"#)
        let down = PipelineHealth.response([(.ingress, true), (.authorizer, true), (.batcher, false), (.wsEdge, true)])
        #expect(down.status == .serviceUnavailable)
        #expect(
            String(buffer: down.body)
                == #"{"status":"degraded","stages":{"ingress":"up","authorizer":"up","batcher":"down","ws-edge":"up"},"#
                + #""down":["batcher"]}"#)
    }
}
