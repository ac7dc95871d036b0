import Foundation
import HeraldDaemonKit
import Testing

@testable import HeraldIngress

/// The authorizer's `refused` frames reach the waiting publisher as 429 or 403, never as 503.
@Suite("Refusals from the authorizer")
struct IngressRefusalTests {
    func error(_ response: RawHTTPResponse) throws -> (code: String?, message: String?) {
        let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
        let error = body["error"] as? [String: Any]
        return (error?["code"] as? String, error?["message"] as? String)
    }

    @Test func rateLimitedBroadcastGets429WithTheAuthorizersRetryAfter() async throws {
        let fixture = try await IngressFixture.start(authorizer: true)
        let body = #"{"channel":"limited.1","event":"forum.comment.created","data":{}}"#
        let response = try await fixture.request("POST", "/api/broadcast", body: body)
        #expect(response.status == 429)
        #expect(response.header("Retry-After") == "17")
        let (code, message) = try error(response)
        #expect(code == "RATE_LIMIT_EXCEEDED")
        #expect(message?.contains("retry in 17 s") == true)
        // A refused event is not kept for resend.
        #expect(await fixture.service.statusLine() == "accepted 0, unsettled 0, authorizer up")
        await fixture.stop()
    }

    @Test func forbiddenEventGets403() async throws {
        let fixture = try await IngressFixture.start(authorizer: true)
        let body = #"{"channel":"forbidden.1","event":"forum.comment.created","data":{}}"#
        let response = try await fixture.request("POST", "/api/broadcast", body: body)
        #expect(response.status == 403)
        #expect(response.header("Retry-After") == nil)
        #expect(try error(response).code == "PERMISSION_DENIED")
        await fixture.stop()
    }

    @Test func batchWithARefusedEventSaysSoWithTheRefusalsCode() async throws {
        let fixture = try await IngressFixture.start(authorizer: true)
        let batch =
            #"{"events":[{"id":"r1","channel":"thread.1","event":"e"},{"id":"r2","channel":"limited.1","event":"e"}]}"#
        let response = try await fixture.request("POST", "/api/events", body: batch)
        #expect(response.status == 429)
        #expect(response.header("Retry-After") == "17")
        let (code, message) = try error(response)
        #expect(code == "RATE_LIMIT_EXCEEDED")
        #expect(message?.hasPrefix("1 of 2 events were not taken (channel limited.1") == true)
        await fixture.stop()
    }
}
