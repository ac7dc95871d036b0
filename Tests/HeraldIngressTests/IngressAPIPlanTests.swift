import HeraldConfig
import NIOHTTP1
import Testing

@testable import HeraldIngress

@Suite("IngressAPI.plan")
struct IngressAPIPlanTests {
    let settings = IngressSettings(HeraldConfiguration())

    func plan(_ method: HTTPMethod, _ uri: String, _ headers: [(String, String)] = []) -> RequestPlan {
        IngressAPI.plan(
            HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: HTTPHeaders(headers)),
            settings: settings)
    }

    func status(_ plan: RequestPlan) -> Int? {
        switch plan {
        case .refuse(let response), .respond(let response): Int(response.status.code)
        case .health, .publish, .pusherPublish, .pusherQuery, .roomEvent: nil
        }
    }

    @Test func publishNeedsAKey() {
        #expect(status(plan(.POST, "/api/broadcast")) == 401)
        guard case .publish(.events) = plan(.POST, "/api/events", [("Authorization", "Bearer dev-api-key")]) else {
            Issue.record("a valid key should lead to publishing")
            return
        }
    }

    @Test func declaredOversizeIsRefusedBeforeRouting() {
        guard case .refuse(let response) = plan(.POST, "/nowhere", [("Content-Length", "1048577")]) else {
            Issue.record("expected an immediate refusal")
            return
        }
        #expect(response.status == .payloadTooLarge)
        #expect(status(plan(.POST, "/nowhere", [("Content-Length", "1048576")])) == 404)
    }

    @Test func openEndpoints() {
        #expect(status(plan(.GET, "/api/ws/info")) == 200)
        guard case .health = plan(.GET, "/health") else {
            Issue.record("expected the health plan")
            return
        }
        #expect(status(plan(.PUT, "/api/ws/info")) == 405)
    }

    @Test func requestIDs() {
        #expect(RequestID.of(HTTPHeaders([("X-Request-Id", "abc-123")])) == "abc-123")
        #expect(RequestID.of(HTTPHeaders([("X-Request-Id", "has space")])).hasPrefix("req_"))
        #expect(RequestID.of(HTTPHeaders([("X-Request-Id", String(repeating: "a", count: 129))])).hasPrefix("req_"))
        #expect(RequestID.generate() != RequestID.generate())
    }
}
