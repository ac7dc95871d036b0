import HeraldAppSigning
import HeraldConfig
import HeraldModel

extension PusherAuthenticator {
    /// The app, the checked question and what remains to check of a request to a channel-state or user endpoint.
    /// With no app id in the path (`POST /users/{userId}/terminate_connections`), the app is the one whose key is
    /// the request's `auth_key`. The signature is checked first (401), the query parameters next (400).
    public func authorize(
        method: String, uri: String, appID: String?, endpoint: PusherQueryEndpoint
    ) throws(HeraldError) -> PusherQuery {
        guard let parameters = QueryString.parameters(of: uri) else {
            throw HeraldError(.authenticationFailed, "the query string has a malformed %-escape; encode it as UTF-8")
        }
        let app = try self.app(id: appID, parameters: parameters)
        let verified: VerifiedRequest
        do {
            verified = try RequestSignature.verify(
                method: method, path: Route.path(of: uri), parameters: parameters,
                credentials: AppCredentials(key: app.key, secret: app.secret), now: now())
        } catch {
            throw HeraldError(.authenticationFailed, error.message)
        }
        let question = try PusherQuery.question(for: endpoint, parameters: parameters)
        return PusherQuery(appID: app.id, question: question, signature: verified)
    }

    private func app(id: String?, parameters: [QueryParameter]) throws(HeraldError) -> AppConfig {
        if let id {
            guard let app = apps.first(where: { $0.id == id }) else {
                throw HeraldError(
                    .authenticationFailed,
                    "no app has the id \"\(id)\": use an id listed in apps (the URL is /apps/{id}/…) and sign with "
                        + "that app's key and secret")
            }
            return app
        }
        let key = parameters.first { $0.name.lowercased() == RequestSignature.keyParameter }?.value
        guard let key, let app = apps.first(where: { $0.key == key }) else {
            throw HeraldError(
                .authenticationFailed,
                "no app has the auth_key \"\(key ?? "")\": without /apps/{id} in the path, the app is found by the key "
                    + "that signed the request; sign with a key listed in apps")
        }
        return app
    }
}
