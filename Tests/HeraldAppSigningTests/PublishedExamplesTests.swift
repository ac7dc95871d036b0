import HeraldAppSigning
import Testing

/// The worked examples of Pusher's "auth signatures" and HTTP API reference pages, reproduced byte for byte: the
/// expected values below are the published ones, not outputs of this code.
@Suite("Pusher's published examples")
struct PublishedExamplesTests {
    static let app = AppCredentials(key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8")

    @Test func privateChannel() {
        let auth = ChannelAuthorization.auth(socketID: "1234.1234", channel: "private-foobar", credentials: Self.app)
        #expect(auth == "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4")
        #expect(
            ChannelAuthorization.verify(auth, socketID: "1234.1234", channel: "private-foobar", credentials: Self.app))
    }

    @Test func presenceChannel() {
        let channelData = #"{"user_id":10,"user_info":{"name":"Mr. Channels"}}"#
        #expect(
            ChannelAuthorization.stringToSign(
                socketID: "1234.1234", channel: "presence-foobar", channelData: channelData)
                == #"1234.1234:presence-foobar:{"user_id":10,"user_info":{"name":"Mr. Channels"}}"#)
        let auth = ChannelAuthorization.auth(
            socketID: "1234.1234", channel: "presence-foobar", channelData: channelData, credentials: Self.app)
        #expect(auth == "278d425bdf160c739803:31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80")
    }

    @Test func userAuthentication() {
        let userData = #"{"id":"12345"}"#
        #expect(
            UserAuthentication.stringToSign(socketID: "1234.1234", userData: userData)
                == #"1234.1234::user::{"id":"12345"}"#)
        let auth = UserAuthentication.auth(socketID: "1234.1234", userData: userData, credentials: Self.app)
        #expect(auth == "278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba")
        #expect(UserAuthentication.verify(auth, socketID: "1234.1234", userData: userData, credentials: Self.app))
    }

    static let body = Array(#"{"name":"foo","channels":["project-3"],"data":"{\"some\":\"data\"}"}"#.utf8)
    static let query = [
        QueryParameter("auth_key", "278d425bdf160c739803"), QueryParameter("auth_timestamp", "1353088179"),
        QueryParameter("auth_version", "1.0"), QueryParameter("body_md5", "ec365a775a4cd0599faeb73354201b6f"),
        QueryParameter("auth_signature", "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c"),
    ]

    @Test func httpAPIRequest() throws {
        #expect(BodyDigest.md5Hex(Self.body) == "ec365a775a4cd0599faeb73354201b6f")
        #expect(
            RequestSignature.stringToSign(method: "POST", path: "/apps/3/events", parameters: Self.query)
                == "POST\n/apps/3/events\nauth_key=278d425bdf160c739803&auth_timestamp=1353088179&auth_version=1.0"
                + "&body_md5=ec365a775a4cd0599faeb73354201b6f")
        let signed = RequestSignature.signedParameters(
            method: "POST", path: "/apps/3/events", body: Self.body, credentials: Self.app, timestamp: 1_353_088_179)
        #expect(signed == Self.query)
        try RequestSignature.verify(
            method: "POST", path: "/apps/3/events", parameters: Self.query.reversed(), body: Self.body,
            credentials: Self.app, now: 1_353_088_179 + 599)
    }
}
