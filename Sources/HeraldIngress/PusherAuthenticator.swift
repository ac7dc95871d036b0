import HeraldAppSigning
import HeraldConfig
import HeraldModel

/// Checks a Pusher HTTP API request's signature against the app its URL names, from the request head alone; the
/// body is checked against the signed `body_md5` once it has arrived (`PusherPublish.verifyBody`).
///
/// Every refusal is `AUTHENTICATION_FAILED` (401), an unknown app id included: a publisher that names the wrong
/// app has the wrong credentials, just as one that signs with the wrong secret.
public struct PusherAuthenticator: Sendable {
    public var apps: [AppConfig]
    /// Seconds since the Unix epoch, for the `auth_timestamp` window.
    public var now: @Sendable () -> Int64

    public init(apps: [AppConfig], now: @escaping @Sendable () -> Int64 = { Clock.wallMilliseconds() / 1000 }) {
        self.apps = apps
        self.now = now
    }

    /// The app and what remains to check of a request to `endpoint` of app `appID`.
    public func authorize(
        method: String, uri: String, appID: String, endpoint: PusherEndpoint
    ) throws(HeraldError) -> PusherPublish {
        guard let app = apps.first(where: { $0.id == appID }) else {
            throw HeraldError(
                .authenticationFailed,
                "no app has the id \"\(appID)\": use an id listed in apps (the URL is /apps/{id}/…) and sign with "
                    + "that app's key and secret")
        }
        guard let parameters = QueryString.parameters(of: uri) else {
            throw HeraldError(.authenticationFailed, "the query string has a malformed %-escape; encode it as UTF-8")
        }
        let verified: VerifiedRequest
        do {
            verified = try RequestSignature.verify(
                method: method, path: Route.path(of: uri), parameters: parameters,
                credentials: AppCredentials(key: app.key, secret: app.secret), now: now())
        } catch {
            throw HeraldError(.authenticationFailed, error.message)
        }
        return PusherPublish(appID: app.id, endpoint: endpoint, signature: verified)
    }
}

/// A Pusher publish whose head passed the signature check: the body still has to be the one that was signed.
public struct PusherPublish: Sendable, Hashable {
    public var appID: String
    public var endpoint: PusherEndpoint
    public var signature: VerifiedRequest

    /// 401 when the body is not the one whose MD5 was signed.
    public func verifyBody(_ body: some Sequence<UInt8>) throws(HeraldError) {
        do {
            try signature.verifyBody(body)
        } catch {
            throw HeraldError(.authenticationFailed, error.message)
        }
    }
}
