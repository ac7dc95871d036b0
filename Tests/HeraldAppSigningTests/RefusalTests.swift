import HeraldAppSigning
import Testing

@Suite("Refused signatures")
struct RefusalTests {
    static let app = AppCredentials(key: "lottery-key", secret: "lottery-secret")
    static let now: Int64 = 1_700_000_000
    static let path = "/apps/lottery/events"
    static let body = Array(#"{"name":"my-event","channel":"orders","data":"{\"id\":1}"}"#.utf8)

    func signed(
        _ credentials: AppCredentials = app, timestamp: Int64 = now, body: [UInt8] = body,
        extra: [QueryParameter] = []
    ) -> [QueryParameter] {
        RequestSignature.signedParameters(
            method: "POST", path: Self.path, parameters: extra, body: body, credentials: credentials,
            timestamp: timestamp)
    }

    func refusal(
        _ parameters: [QueryParameter], body: [UInt8] = body, method: String = "POST", path: String = path
    ) -> SignatureRefusal.Reason? {
        do {
            try RequestSignature.verify(
                method: method, path: path, parameters: parameters, body: body, credentials: Self.app, now: Self.now)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func aProperlySignedRequestPasses() {
        #expect(refusal(signed()) == nil)
        #expect(refusal(signed(extra: [QueryParameter("info", "user_count,subscription_count")])) == nil)
        #expect(refusal(signed(timestamp: Self.now - 600)) == nil)
        #expect(refusal(signed(timestamp: Self.now + 600)) == nil)
    }

    @Test func wrongKey() {
        let other = AppCredentials(key: "other-key", secret: "lottery-secret")
        #expect(refusal(signed(other)) == .wrongKey)
    }

    @Test func wrongSecret() {
        let other = AppCredentials(key: "lottery-key", secret: "not-the-secret")
        guard case .badSignature(let text) = refusal(signed(other)) else {
            Issue.record("a signature made with another secret must be refused")
            return
        }
        #expect(text.hasPrefix("POST\n/apps/lottery/events\nauth_key=lottery-key&auth_timestamp="))
        #expect(!SignatureRefusal(.badSignature(stringToSign: text)).message.contains("lottery-secret"))
    }

    @Test func staleTimestamps() {
        #expect(refusal(signed(timestamp: Self.now - 601)) == .staleTimestamp(skewSeconds: 601))
        #expect(refusal(signed(timestamp: Self.now + 3600)) == .staleTimestamp(skewSeconds: 3600))
    }

    @Test func tamperedBody() {
        var tampered = Self.body
        tampered[tampered.count - 3] = UInt8(ascii: "2")
        #expect(refusal(signed(), body: tampered) == .bodyDigestMismatch)
    }

    @Test func badBodyDigest() {
        var parameters = signed()
        let index = parameters.firstIndex { $0.name == "body_md5" }!
        parameters[index].value = "00000000000000000000000000000000"
        // The digest is covered by the signature, so changing it breaks the signature first.
        guard case .badSignature = refusal(parameters) else {
            Issue.record("a changed body_md5 must be refused")
            return
        }
        let resigned = RequestSignature.signedParameters(
            method: "POST", path: Self.path,
            parameters: [QueryParameter("body_md5", "00000000000000000000000000000000")],
            body: [UInt8](), credentials: Self.app, timestamp: Self.now)
        #expect(refusal(resigned) == .bodyDigestMismatch)
    }

    @Test func aBodyNeedsADigest() {
        let unsigned = RequestSignature.signedParameters(
            method: "POST", path: Self.path, body: [UInt8](), credentials: Self.app, timestamp: Self.now)
        #expect(refusal(unsigned) == .missingBodyDigest)
        #expect(refusal(unsigned, body: []) == nil)
    }

    @Test func methodAndPathAreSigned() {
        guard case .badSignature = refusal(signed(), path: "/apps/lottery/batch_events") else {
            Issue.record("a signature for another path must be refused")
            return
        }
        guard case .badSignature = refusal(signed(), method: "GET") else {
            Issue.record("a signature for another method must be refused")
            return
        }
    }

    @Test func missingAndMalformedParameters() {
        for name in ["auth_key", "auth_timestamp", "auth_version", "auth_signature"] {
            #expect(refusal(signed().filter { $0.name != name }) == .missingParameter(name))
        }
        #expect(refusal(signed() + [QueryParameter("auth_key", "lottery-key")]) == .repeatedParameter("auth_key"))
        var parameters = signed()
        parameters[parameters.firstIndex { $0.name == "auth_version" }!].value = "2.0"
        #expect(refusal(parameters) == .unsupportedVersion("2.0"))
        parameters = signed()
        parameters[parameters.firstIndex { $0.name == "auth_timestamp" }!].value = "yesterday"
        #expect(refusal(parameters) == .malformedTimestamp("yesterday"))
    }

    @Test func queryNamesAreSignedLowerCased() {
        let upper = [QueryParameter("Info", "user_count")]
        let text = RequestSignature.stringToSign(method: "get", path: "/apps/1/channels", parameters: upper)
        #expect(text == "GET\n/apps/1/channels\ninfo=user_count")
    }

    @Test func channelAndUserSignaturesRefuseTampering() {
        let auth = ChannelAuthorization.auth(socketID: "1.2", channel: "private-orders", credentials: Self.app)
        #expect(ChannelAuthorization.verify(auth, socketID: "1.2", channel: "private-orders", credentials: Self.app))
        #expect(!ChannelAuthorization.verify(auth, socketID: "1.3", channel: "private-orders", credentials: Self.app))
        #expect(!ChannelAuthorization.verify(auth, socketID: "1.2", channel: "private-admin", credentials: Self.app))
        let otherKey = AppCredentials(key: "other-key", secret: Self.app.secret)
        #expect(!ChannelAuthorization.verify(auth, socketID: "1.2", channel: "private-orders", credentials: otherKey))
        let presence = ChannelAuthorization.auth(
            socketID: "1.2", channel: "presence-room", channelData: #"{"user_id":"7"}"#, credentials: Self.app)
        #expect(
            !ChannelAuthorization.verify(
                presence, socketID: "1.2", channel: "presence-room", channelData: #"{"user_id":"8"}"#,
                credentials: Self.app))
        let user = UserAuthentication.auth(socketID: "1.2", userData: #"{"id":"7"}"#, credentials: Self.app)
        #expect(!UserAuthentication.verify(user, socketID: "1.2", userData: #"{"id":"8"}"#, credentials: Self.app))
    }

    @Test func webhookSignatures() {
        let body = Array(#"{"time_ms":1327078148132,"events":[{"name":"channel_occupied","channel":"orders"}]}"#.utf8)
        let signature = WebhookSignature.sign(body: body, secret: Self.app.secret)
        #expect(signature.count == 64)
        #expect(WebhookSignature.verify(signature, body: body, secret: Self.app.secret))
        #expect(!WebhookSignature.verify(signature, body: body.dropLast(), secret: Self.app.secret))
        #expect(!WebhookSignature.verify(signature, body: body, secret: "another-secret"))
        #expect(!WebhookSignature.verify(String(signature.dropLast()), body: body, secret: Self.app.secret))
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equal("abc", "abc"))
        #expect(!ConstantTime.equal("abc", "abd"))
        #expect(!ConstantTime.equal("abc", "abcd"))
        #expect(!ConstantTime.equal("abc", ""))
        #expect(!ConstantTime.equal("", "a"))
        #expect(ConstantTime.equal("", ""))
    }

    @Test func hexHMACMatchesRFC4231() {
        // RFC 4231, test case 2.
        #expect(
            HexHMAC.sha256("what do ya want for nothing?", secret: "Jefe")
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
