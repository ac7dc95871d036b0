import Foundation
import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import Testing

@testable import HeraldIngress

/// `POST /api/rooms/{roomId}/events` through a real ingress and a fake authorizer that answers `room-check` as
/// the backend would (`missing…` rooms do not exist, `broken…` rooms' backend cannot answer).
@Suite("Room events over real sockets")
struct RoomEventServiceTests {
    static let app = ["X-App-Id": "lottery"]

    func start(hook: Bool) async throws -> IngressFixture {
        try await IngressFixture.start(authorizer: true) { configuration in
            configuration.apps = [
                AppConfig(id: "lottery", key: "k", secret: "lottery-secret", permissions: [AppConfig.publishPermission])
            ]
            if hook { configuration.auth.hook.url = "http://127.0.0.1:9/hook" }
        }
    }

    func post(_ fixture: IngressFixture, room: String, _ body: String) async throws -> RawHTTPResponse {
        try await fixture.request(
            "POST", "/api/rooms/\(room)/events", body: body, headers: Self.app, apiKey: "lottery-secret")
    }

    func code(_ response: RawHTTPResponse) throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }

    @Test func theEventReachesTheAuthorizerOnTheRoomsChannelWithTheApp() async throws {
        let fixture = try await start(hook: true)
        let data = #"{"winner": "An" , "tickets":[3,1,4]}"#
        let response = try await post(fixture, room: "42", #"{"event":"lottery:draw.result","data":"# + data + "}")
        #expect(response.status == 202)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
        let received = try #require(fixture.authorizer?.events.first)
        #expect(answer["id"] as? String == received.id.rawValue)
        #expect(received.channels == ["room.42"])
        #expect(received.name == "lottery:draw.result")
        #expect(received.appID == "lottery")
        #expect(String(buffer: received.data) == data)
        #expect(fixture.authorizer?.checkedRooms == [StageRequests.RoomCheck(app: "lottery", room: "42")])
        await fixture.stop()
    }

    @Test func aRoomTheBackendDoesNotKnowIsNotFoundAndNothingIsPublished() async throws {
        let fixture = try await start(hook: true)
        let response = try await post(fixture, room: "missing-1", #"{"event":"lottery:x","data":{}}"#)
        #expect(response.status == 404)
        #expect(try code(response) == "ROOM_NOT_FOUND")
        #expect(fixture.authorizer?.events.isEmpty == true)
        await fixture.stop()
    }

    @Test func aBackendThatCannotAnswerIsUnavailable() async throws {
        let fixture = try await start(hook: true)
        let response = try await post(fixture, room: "broken-1", #"{"event":"lottery:x","data":{}}"#)
        #expect(response.status == 503)
        #expect(try code(response) == "UNAVAILABLE")
        #expect(response.header("Retry-After") == "1")
        #expect(fixture.authorizer?.events.isEmpty == true)
        await fixture.stop()
    }

    @Test func withoutAHookNoRoomIsChecked() async throws {
        let fixture = try await start(hook: false)
        let response = try await post(fixture, room: "missing-1", #"{"event":"lottery:x","data":{}}"#)
        #expect(response.status == 202)
        #expect(fixture.authorizer?.checkedRooms.isEmpty == true)
        #expect(fixture.authorizer?.events.count == 1)
        await fixture.stop()
    }

    @Test func aBadBodyIsRefusedBeforeTheRoomIsChecked() async throws {
        let fixture = try await start(hook: true)
        let response = try await post(fixture, room: "42", #"{"event":"other:x","data":{}}"#)
        #expect(response.status == 403)
        #expect(try code(response) == "APP_PERMISSION_DENIED")
        #expect(fixture.authorizer?.checkedRooms.isEmpty == true)
        await fixture.stop()
    }
}
