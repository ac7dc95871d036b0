import Foundation
import HeraldDaemonKit
import Testing

@testable import HeraldIngress

@Suite("IngressService over real sockets")
struct IngressServiceTests {
    func json(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    func errorCode(_ response: RawHTTPResponse) throws -> String? {
        (try json(response.body)["error"] as? [String: Any])?["code"] as? String
    }

    @Test func broadcastIsAcceptedOnceTheAuthorizerAcknowledges() async throws {
        let fixture = try await IngressFixture.start(authorizer: true)
        let data = #"{"text":"héllo 😀 \"quoted\"","amounts":[1.50, 2e3], "nested":{ "deep":null }}"#
        let body = #"{"channel":"thread.456","event":"forum.comment.created","user_id":123,"data":"# + data + "}"
        let response = try await fixture.request(
            "POST", "/api/broadcast", body: body, headers: ["X-Request-Id": "trace-abc-1"])
        #expect(response.status == 202)
        #expect(response.header("X-Request-Id") == "trace-abc-1")
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        let answer = try json(response.body)
        #expect(answer["ok"] as? Bool == true)
        let id = try #require(answer["id"] as? String)
        let received = try #require(fixture.authorizer?.events.first)
        #expect(received.id.rawValue == id)
        #expect(received.name == "forum.comment.created")
        #expect(received.channels == ["thread.456"])
        #expect(Array(received.data.readableBytesView) == Array(data.utf8))
        #expect(String(buffer: try #require(received.userID)) == "123")
        #expect(await fixture.service.statusLine() == "accepted 1, unsettled 1, authorizer up")
        await fixture.stop()
    }

    @Test func batchIsAcceptedWhenEveryEventIsAcknowledged() async throws {
        let fixture = try await IngressFixture.start(authorizer: true)
        let body =
            #"{"events":[{"id":"pub-1","channel":"a","event":"x.one"},{"channel":"b","event":"x.two","data":[1]}]}"#
        let response = try await fixture.request("POST", "/api/events", body: body)
        #expect(response.status == 202)
        let ids = try #require(try json(response.body)["ids"] as? [String])
        #expect(ids.count == 2)
        #expect(ids[0] == "pub-1")
        let received = try #require(fixture.authorizer?.events)
        #expect(received.map(\.id.rawValue) == ids)
        #expect(received.map { String(buffer: $0.data) } == ["{}", "[1]"])
        let stats = await fixture.service.stats()
        #expect(stats["events_accepted"]?.intValue == 2)
        await fixture.stop()
    }

    @Test func unacknowledgedEventGets503AfterTheTimeout() async throws {
        let fixture = try await IngressFixture.start(authorizer: false)
        let started = ContinuousClock.now
        let response = try await fixture.request(
            "POST", "/api/broadcast", body: #"{"channel":"c","event":"e","data":{"n":1}}"#)
        let elapsed = ContinuousClock.now - started
        #expect(response.status == 503)
        #expect(try errorCode(response) == "UNAVAILABLE")
        #expect(response.header("Retry-After") == "1")
        #expect(elapsed >= .milliseconds(900))
        #expect(fixture.authorizer?.events.count == 1)
        let stats = await fixture.service.stats()
        #expect(stats["events_refused"]?.intValue == 1)
        #expect(stats["authorizer_link"]?["unsettled"]?.intValue == 0)
        await fixture.stop()
    }

    @Test func fullResendBufferRefusesAtOnce() async throws {
        // The fake acknowledges but never settles, so each accepted event stays in the one-event buffer.
        let fixture = try await IngressFixture.start(authorizer: true) { $0.ingress.resendBufferEvents = 1 }
        let body = #"{"channel":"c","event":"e"}"#
        #expect(try await fixture.request("POST", "/api/broadcast", body: body).status == 202)
        let refused = try await fixture.request("POST", "/api/broadcast", body: body)
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") == "1")
        // Refused by the full buffer, not after waiting out the acceptance timeout (which says "did not take").
        let reason = try #require((try json(refused.body)["error"] as? [String: Any])?["message"] as? String)
        #expect(reason.contains("is not keeping up"))
        let batch = #"{"events":[{"id":"b1","channel":"c","event":"e"},{"id":"b2","channel":"c","event":"e"}]}"#
        let partly = try await fixture.request("POST", "/api/events", body: batch)
        #expect(partly.status == 503)
        let message = try #require((try json(partly.body)["error"] as? [String: Any])?["message"] as? String)
        #expect(message.hasPrefix("2 of 2 events were not taken (authorizer is not keeping up"))
        #expect(fixture.authorizer?.events.count == 1)
        await fixture.stop()
    }

    @Test func partlyTakenBatchSaysWhatWasAccepted() async throws {
        let fixture = try await IngressFixture.start(authorizer: true) { $0.ingress.resendBufferEvents = 1 }
        let batch = #"{"events":[{"id":"b1","channel":"c","event":"e"},{"id":"b2","channel":"c","event":"e"}]}"#
        let response = try await fixture.request("POST", "/api/events", body: batch)
        #expect(response.status == 503)
        let message = try #require((try json(response.body)["error"] as? [String: Any])?["message"] as? String)
        #expect(message.hasPrefix("1 of 2 events were not taken (authorizer is not keeping up"))
        #expect(message.contains("the other 1 were accepted"))
        #expect(fixture.authorizer?.events.map(\.id.rawValue) == ["b1"])
        await fixture.stop()
    }

    @Test func declaredOversizeBodyIsRefusedBeforeItIsSent() async throws {
        let fixture = try await IngressFixture.start(authorizer: true)
        let responses = try await fixture.exchange(
            "POST /api/broadcast HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer dev-api-key\r\n"
                + "Content-Length: 1048577\r\n\r\n{\"channel\":")
        #expect(responses.count == 1)
        #expect(responses.first?.status == 413)
        #expect(try errorCode(try #require(responses.first)) == "MESSAGE_TOO_LARGE")
        #expect(responses.first?.header("Connection") == "close")
        await fixture.stop()
    }

    @Test func chunkedBodyIsCutOffAtTheLimit() async throws {
        let fixture = try await IngressFixture.start(authorizer: true) { $0.ingress.maxBodyBytes = 64 }
        let chunk = String(repeating: "x", count: 40)
        let raw =
            "POST /api/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer dev-api-key\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n28\r\n\(chunk)\r\n28\r\n\(chunk)\r\n0\r\n\r\n"
        let responses = try await fixture.exchange(raw)
        #expect(responses.map(\.status) == [413])
        #expect(fixture.authorizer?.events.isEmpty == true)
        await fixture.stop()
    }

    @Test func garbageGets400AndTheConnectionCloses() async throws {
        let fixture = try await IngressFixture.start(authorizer: true)
        let responses = try await fixture.exchange("\u{16}\u{03}\u{01}\u{00}\u{a5} not http at all\r\n\r\n")
        #expect(responses.map(\.status) == [400])
        #expect(try errorCode(try #require(responses.first)) == "INVALID_PAYLOAD")
        #expect(responses.first?.header("X-Request-Id") != nil)
        let afterValid = try await fixture.exchange(
            "GET /api/ws/info HTTP/1.1\r\nHost: x\r\n\r\nBREW /pot HTCPCP/1.0\r\n\r\n")
        #expect(afterValid.map(\.status) == [200, 400])
        // The server is unharmed.
        #expect(try await fixture.request("GET", "/api/ws/info").status == 200)
        await fixture.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrderOnOneConnection() async throws {
        let fixture = try await IngressFixture.start(authorizer: true)
        let body = #"{"channel":"c","event":"e"}"#
        let raw =
            "GET /api/ws/info HTTP/1.1\r\nHost: x\r\nX-Request-Id: first\r\n\r\n"
            + "POST /api/broadcast HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer dev-api-key\r\n"
            + "X-Request-Id: second\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            + "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let responses = try await fixture.exchange(raw)
        #expect(responses.map(\.status) == [200, 202, 404])
        #expect(responses.map { $0.header("X-Request-Id") ?? "" }.prefix(2) == ["first", "second"])
        #expect(responses.last?.header("X-Request-Id")?.hasPrefix("req_") == true)
        let info = try json(responses[0].body)
        #expect(info["status"] as? String == "operational")
        #expect(info["version"] as? String == HeraldVersion.current)
        let features = try #require(info["features"] as? [String: Any])
        #expect((features["protocols"] as? [String: String])?.keys.sorted() == ["native", "pusher", "socket.io"])
        #expect(features["priority_windows"] as? Bool == true)
        #expect(features["recovery"] as? [String] == ["native", "socket.io"])
        #expect((features["publish"] as? [String])?.contains("/api/rooms/{roomId}/events") == true)
        await fixture.stop()
    }

    @Test func expectContinueGetsAnInterimAnswer() async throws {
        let fixture = try await IngressFixture.start(authorizer: true)
        let body = #"{"channel":"c","event":"e"}"#
        let raw = try await RawHTTPClient.exchange(
            "POST /api/broadcast HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer dev-api-key\r\nConnection: close\r\n"
                + "Expect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)",
            port: fixture.port, group: fixture.group)
        #expect(raw.hasPrefix("HTTP/1.1 100 Continue\r\n"))
        #expect(RawHTTPResponse.all(in: raw).map(\.status) == [202])
        // Without credentials the answer is known from the head: 401 at once, and the body is never asked for.
        let refused = try await RawHTTPClient.exchange(
            "POST /api/broadcast HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 27\r\n\r\n",
            port: fixture.port, group: fixture.group)
        #expect(refused.hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
        #expect(RawHTTPResponse.all(in: refused).map(\.status) == [401])
        await fixture.stop()
    }

    @Test func credentialsAndRoutesAreChecked() async throws {
        let fixture = try await IngressFixture.start(authorizer: true) {
            $0.apiKeys = [.init(key: "publisher", scopes: [.publish]), .init(key: "reader", scopes: [.stats])]
        }
        let body = #"{"channel":"c","event":"e"}"#
        let missing = try await fixture.request("POST", "/api/broadcast", body: body, apiKey: nil)
        #expect(missing.status == 401)
        #expect(try errorCode(missing) == "AUTHENTICATION_FAILED")
        let unknown = try await fixture.request("POST", "/api/broadcast", body: body, apiKey: "dev-api-key")
        #expect(unknown.status == 401)
        let unscoped = try await fixture.request("POST", "/api/broadcast", body: body, apiKey: "reader")
        #expect(unscoped.status == 403)
        #expect(try errorCode(unscoped) == "PERMISSION_DENIED")
        let invalid = try await fixture.request("POST", "/api/broadcast", body: #"{"event":"e"}"#, apiKey: "publisher")
        #expect(invalid.status == 400)
        #expect(
            (try json(invalid.body)["error"] as? [String: Any])?["message"] as? String
                == "channel: required (or channels)")
        let wrongMethod = try await fixture.request("GET", "/api/events")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "POST")
        let nowhere = try await fixture.request("GET", "/api/nowhere")
        #expect(nowhere.status == 404)
        #expect(try errorCode(nowhere) == "NOT_FOUND")
        #expect(fixture.authorizer?.events.isEmpty == true)
        let stats = await fixture.service.stats()
        #expect(stats["responses"]?["4xx"]?.intValue == 6)
        await fixture.stop()
    }

    @Test func healthNamesTheStagesThatAreDown() async throws {
        let fixture = try await IngressFixture.start(authorizer: true)
        let authorizer = try await fixture.startAdmin(of: .authorizer)
        let batcher = try await fixture.startAdmin(of: .batcher)
        let degraded = try await fixture.request("GET", "/health")
        #expect(degraded.status == 503)
        let body = try json(degraded.body)
        #expect(body["status"] as? String == "degraded")
        #expect(
            body["stages"] as? [String: String]
                == ["ingress": "up", "authorizer": "up", "batcher": "up", "ws-edge": "down"])
        #expect(body["down"] as? [String] == ["ws-edge"])
        let edge = try await fixture.startAdmin(of: .wsEdge)
        let healthy = try await fixture.request("GET", "/health")
        #expect(healthy.status == 200)
        #expect(
            healthy.body
                == #"{"status":"ok","stages":{"ingress":"up","authorizer":"up","batcher":"up","ws-edge":"up"}}"#)
        await authorizer.close()
        await batcher.close()
        await edge.close()
        await fixture.stop()
    }
}
