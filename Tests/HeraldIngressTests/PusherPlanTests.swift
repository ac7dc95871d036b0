import HeraldAppSigning
import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore
import NIOHTTP1
import Testing

@testable import HeraldIngress

@Suite("Pusher HTTP API requests")
struct PusherPlanTests {
    static let now: Int64 = 1_700_000_000
    static let lottery = AppCredentials(key: "lottery-key", secret: "lottery-secret")
    static let body = Array(#"{"name":"my-event","channel":"orders","data":"{\"id\":1}"}"#.utf8)

    var settings: IngressSettings {
        var settings = IngressSettings(HeraldConfiguration())
        settings.pusherAuthenticator.now = { Self.now }
        return settings
    }

    /// A request target signed as Pusher's libraries sign it, values percent-encoded.
    static func signedURI(
        _ path: String, credentials: AppCredentials = lottery, timestamp: Int64 = now, body: [UInt8] = body,
        extra: [QueryParameter] = []
    ) -> String {
        let parameters = RequestSignature.signedParameters(
            method: "POST", path: path, parameters: extra, body: body, credentials: credentials, timestamp: timestamp)
        let query = parameters.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
        return "\(path)?\(query)"
    }

    static func encode(_ text: String) -> String {
        text.utf8.map { byte in
            let scalar = Unicode.Scalar(byte)
            guard byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) else {
                return "%" + String(byte, radix: 16, uppercase: true).leftPadded()
            }
            return String(Character(scalar))
        }.joined()
    }

    func plan(_ uri: String, method: HTTPMethod = .POST) -> RequestPlan {
        IngressAPI.plan(HTTPRequestHead(version: .http1_1, method: method, uri: uri), settings: settings)
    }

    func refusal(_ plan: RequestPlan) -> (status: UInt, body: String)? {
        guard case .respond(let response) = plan else { return nil }
        return (response.status.code, String(buffer: response.body))
    }

    @Test func aSignedTriggerIsPlannedForPublishing() throws {
        guard case .pusherPublish(let publish) = plan(Self.signedURI("/apps/lottery/events")) else {
            Issue.record("a properly signed trigger should be published")
            return
        }
        #expect(publish.appID == "lottery")
        #expect(publish.endpoint == .events)
        #expect(publish.signature.bodyMD5 == BodyDigest.md5Hex(Self.body))
        try publish.verifyBody(Self.body)
        guard case .pusherPublish(let batch) = plan(Self.signedURI("/apps/lottery/batch_events")) else {
            Issue.record("a properly signed batch should be published")
            return
        }
        #expect(batch.endpoint == .batchEvents)
        let withInfo = Self.signedURI("/apps/lottery/events", extra: [QueryParameter("info", "a,b c")])
        #expect(withInfo.contains("info=a%2Cb%20c"))
        guard case .pusherPublish = plan(withInfo) else {
            Issue.record("encoded query values are signed decoded")
            return
        }
    }

    @Test func unknownAppOrWrongCredentialsAre401() throws {
        for uri in [
            Self.signedURI("/apps/nope/events"),
            Self.signedURI("/apps/lottery/events", credentials: AppCredentials(key: "lottery-key", secret: "guess")),
            Self.signedURI("/apps/lottery/events", credentials: AppCredentials(key: "other-key", secret: "x")),
            Self.signedURI("/apps/lottery/events", timestamp: Self.now - 601),
            "/apps/lottery/events",
            "/apps/lottery/events?auth_key=%",
        ] {
            let answer = try #require(refusal(plan(uri)), "\(uri)")
            #expect(answer.status == 401)
            #expect(answer.body.hasPrefix(#"{"ok":false,"error":{"code":"AUTHENTICATION_FAILED","message":"#))
            #expect(!answer.body.contains("lottery-secret"))
        }
    }

    @Test func aTamperedBodyIs401() throws {
        guard case .pusherPublish(let publish) = plan(Self.signedURI("/apps/lottery/events")) else {
            Issue.record("a properly signed trigger should be published")
            return
        }
        var tampered = Self.body
        tampered[tampered.count - 4] = UInt8(ascii: "2")
        #expect(throws: HeraldError.self) { try publish.verifyBody(tampered) }
        do {
            try publish.verifyBody(tampered)
        } catch {
            #expect(error.code == .authenticationFailed)
            #expect(error.message.contains("body_md5"))
        }
    }

    @Test func triggerAnswers() {
        #expect(String(buffer: IngressResponse.pusherTriggered().body) == "{}")
        #expect(IngressResponse.pusherTriggered().status == .ok)
        let states = StageRequests.ChannelStates(channels: [
            "orders": StageRequests.ChannelState(subscriptionCount: 3),
            "presence-room": StageRequests.ChannelState(subscriptionCount: 4, users: ["1", "2"]),
        ])
        let event = WireEvent(
            id: EventID(uncheckedRawValue: "evt_1"), name: "e", channels: ["orders", "presence-room", "empty"],
            timestamp: "2025-07-17T10:30:00Z", priority: .medium, data: ByteBuffer(string: "{}"))
        let both = TriggerInfo(subscriptionCount: true, userCount: true)
        #expect(
            String(buffer: IngressResponse.pusherTriggered(.events, events: [event], info: [both], states: states).body)
                == #"{"channels":{"orders":{"subscription_count":3},"presence-room":{"subscription_count":4,"user_count":2},"empty":{"subscription_count":0}}}"#
        )
        var second = event
        second.channels = ["presence-room"]
        var first = event
        first.channels = ["orders"]
        #expect(
            String(
                buffer: IngressResponse.pusherTriggered(
                    .batchEvents, events: [first, second, first],
                    info: [TriggerInfo(subscriptionCount: true), nil, both],
                    states: states
                ).body) == #"{"batch":[{"subscription_count":3},{},{"subscription_count":3}]}"#)
    }
}

extension String {
    fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}
