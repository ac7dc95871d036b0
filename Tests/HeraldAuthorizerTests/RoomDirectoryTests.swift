import HeraldDaemonKit
import HeraldModel
import Logging
import NIOCore
import Testing

@testable import HeraldAuthorizer

/// Room checks against a real local HTTP server: the question sent, how statuses read, the timeout, and a cache
/// that keeps what the backend said but never a failure to ask.
@Suite(.serialized) struct RoomDirectoryTests {
    static let logger = Logger(label: "test")

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

    func hook(_ server: HookTestServer, timeoutMS: Int = 1000) -> HTTPAuthHook {
        HTTPAuthHook(url: server.url, secret: "s3cret", timeout: .milliseconds(timeoutMS), logger: Self.logger)
    }

    @Test func aKnownRoomExistsAndTheQuestionNamesTheApp() async throws {
        try await withServer { server in
            #expect(await hook(server).check(RoomQuestion(app: "lottery", room: "allow-7")) == .exists)
            let seen = try #require(server.seen.first)
            #expect(seen.authorization == "Bearer s3cret")
            #expect(seen.body.keys.sorted() == ["app", "channel", "roles", "socket_id", "user"])
            #expect(seen.body["channel"] == "room.allow-7")
            #expect(seen.body["app"] == "lottery")
        }
    }

    @Test func aNotFoundAnswerIsAnUnknownRoomAndOtherStatusesAreUnavailable() async throws {
        try await withServer { server in
            #expect(await hook(server).check(RoomQuestion(app: "lottery", room: "missing-1")) == .notFound)
            guard case .unavailable = await hook(server).check(RoomQuestion(app: "lottery", room: "error-1")) else {
                Issue.record("a 500 was taken as an answer about the room")
                return
            }
        }
    }

    @Test func aSlowHookIsUnavailable() async throws {
        try await withServer { server in
            let answer = await hook(server, timeoutMS: 200).check(RoomQuestion(app: "lottery", room: "slow-1"))
            #expect(answer == .unavailable("the auth hook did not answer a room check within 200 ms"))
        }
    }

    @Test func answersAboutTheRoomAreCachedFailuresAreNot() async throws {
        try await withServer { server in
            let cached = CachingRoomDirectory(hook(server), cacheSeconds: 60)
            for _ in 0..<3 { #expect(await cached.check(RoomQuestion(app: "lottery", room: "allow-1")) == .exists) }
            for _ in 0..<3 {
                #expect(await cached.check(RoomQuestion(app: "lottery", room: "missing-1")) == .notFound)
            }
            #expect(server.requests == 2)
            for _ in 0..<2 { _ = await cached.check(RoomQuestion(app: "lottery", room: "error-1")) }
            #expect(server.requests == 4)
            // Another app asking about the same room is another question.
            _ = await cached.check(RoomQuestion(app: "other", room: "allow-1"))
            #expect(server.requests == 5)
        }
    }

    @Test func statusesReadAsTheEndpointDocumentsThem() {
        #expect(RoomAnswer(status: 200) == .exists)
        #expect(RoomAnswer(status: 204) == .exists)
        #expect(RoomAnswer(status: 404) == .notFound)
        for status in [301, 400, 401, 403, 500, 503] {
            #expect(
                RoomAnswer(status: status) == .unavailable("the auth hook answered a room check with HTTP \(status)"))
        }
    }

    @Test func answersBecomeWireOutcomes() throws {
        let ask = StageRequests.RoomCheck(app: "lottery", room: "42")
        let exists = try AuthorizerService.outcome(.exists, of: ask).get()
        #expect(String(buffer: exists) == #"{"exists":true}"#)
        guard case .failure(let missing) = AuthorizerService.outcome(.notFound, of: ask) else {
            Issue.record("a missing room was answered as existing")
            return
        }
        #expect(missing.code == "ROOM_NOT_FOUND")
        guard case .failure(let unavailable) = AuthorizerService.outcome(.unavailable("down"), of: ask) else {
            Issue.record("an unavailable backend was answered as an existing room")
            return
        }
        #expect(unavailable.code == "UNAVAILABLE" && unavailable.message.contains("down"))
    }
}
