import HeraldConfig
import NIOHTTP1
import Testing

@testable import HeraldIngress

/// `POST /api/rooms/{roomId}/events` decided from its head: credentials, permission and room id.
@Suite("Room events: plan")
struct RoomEventPlanTests {
    let settings: IngressSettings = {
        var configuration = HeraldConfiguration()
        configuration.apps = [
            AppConfig(id: "lottery", key: "k1", secret: "lottery-secret", permissions: [AppConfig.publishPermission]),
            AppConfig(id: "reader", key: "k2", secret: "reader-secret"),
        ]
        return IngressSettings(configuration)
    }()

    func plan(_ uri: String, _ headers: [(String, String)]) -> RequestPlan {
        IngressAPI.plan(
            HTTPRequestHead(version: .http1_1, method: .POST, uri: uri, headers: HTTPHeaders(headers)),
            settings: settings)
    }

    func refusal(_ plan: RequestPlan) -> (status: Int, code: String)? {
        guard case .respond(let response) = plan else { return nil }
        let body = String(buffer: response.body)
        let code = body.split(separator: "\"").dropFirst(7).first.map(String.init) ?? body
        return (Int(response.status.code), code)
    }

    static let lottery = [("X-App-Id", "lottery"), ("Authorization", "Bearer lottery-secret")]

    @Test func theAppsCredentialsLeadToPublishing() {
        guard case .roomEvent(let target) = plan("/api/rooms/42/events", Self.lottery) else {
            Issue.record("valid credentials should lead to publishing")
            return
        }
        #expect(target == RoomEventTarget(appID: "lottery", roomID: "42"))
        #expect(plan("/api/rooms/42/events", Self.lottery).collectsBody)
    }

    @Test(arguments: [
        [("Authorization", "Bearer lottery-secret")],
        [("X-App-Id", "lottery")],
        [("X-App-Id", "nobody"), ("Authorization", "Bearer lottery-secret")],
        [("X-App-Id", "lottery"), ("Authorization", "Bearer lottery-secreT")],
        [("X-App-Id", "lottery"), ("Authorization", "Bearer lottery-secret-and-more")],
        [("X-App-Id", "lottery"), ("Authorization", "Basic lottery-secret")],
        [("X-App-Id", "reader"), ("Authorization", "Bearer lottery-secret")],
        [("X-App-Id", ""), ("Authorization", "Bearer lottery-secret")],
    ])
    func badCredentialsAreAuthenticationFailures(_ headers: [(String, String)]) {
        let answer = refusal(plan("/api/rooms/42/events", headers))
        #expect(answer?.status == 401)
        #expect(answer?.code == "AUTHENTICATION_FAILED")
    }

    @Test func anAppWithoutThePermissionIsRefused() {
        let answer = refusal(
            plan("/api/rooms/42/events", [("X-App-Id", "reader"), ("Authorization", "Bearer reader-secret")]))
        #expect(answer?.status == 403)
        #expect(answer?.code == "APP_PERMISSION_DENIED")
    }

    @Test(arguments: ["a.b", "%20", "x%2Fy", "room!", String(repeating: "r", count: 196)])
    func invalidRoomIDsAreInvalidPayloads(_ room: String) {
        let answer = refusal(plan("/api/rooms/\(room)/events", Self.lottery))
        #expect(answer?.status == 400)
        #expect(answer?.code == "INVALID_PAYLOAD")
    }

    @Test func roomIDsTakeTheDocumentedAlphabet() {
        for room in ["42", "quiz_7-b", "a:b@c=d,e", String(repeating: "r", count: 195)] {
            #expect(RoomEventParser.isValidRoomID(room[...]), "\(room)")
        }
        for room in ["", "a.b", "a/b", "é", "a b", "a#b"] {
            #expect(!RoomEventParser.isValidRoomID(room[...]), "\(room)")
        }
    }
}
