import HeraldAppSigning
import HeraldConfig
import HeraldModel

/// Checks the credentials of `POST /api/rooms/{roomId}/events`: `X-App-Id: <app id>` names an entry of `apps`,
/// and `Authorization: Bearer <secret>` carries that app's secret, compared in constant time. Then the app must
/// hold the `realtime:publish` permission.
///
/// A missing header, an unknown app and a wrong secret are all `AUTHENTICATION_FAILED` (401): a publisher that
/// names the wrong app has the wrong credentials. An app without the permission is `APP_PERMISSION_DENIED` (403).
public struct AppAuthenticator: Sendable {
    public var apps: [AppConfig]

    public init(apps: [AppConfig]) { self.apps = apps }

    /// The app the headers authenticate, when it may publish room events.
    public func authorize(authorization: String?, appID: String?) throws(HeraldError) -> AppConfig {
        guard let appID, !appID.isEmpty, let authorization,
            let secret = BearerAuthenticator.bearerToken(authorization)
        else {
            throw HeraldError(
                .authenticationFailed,
                "send the app's id as 'X-App-Id: <app id>' and its secret as 'Authorization: Bearer <secret>' "
                    + "(apps are listed in apps)")
        }
        guard let app = apps.first(where: { $0.id == appID }) else {
            throw HeraldError(
                .authenticationFailed, "no app has the id \"\(appID)\"; use an id listed in apps with its secret")
        }
        guard !app.secret.isEmpty, ConstantTime.equal(app.secret, secret) else {
            throw HeraldError(
                .authenticationFailed, "wrong secret for app \"\(appID)\"; send the secret listed for it in apps")
        }
        guard app.has(permission: AppConfig.publishPermission) else {
            throw HeraldError(
                .appPermissionDenied,
                "app \"\(appID)\" may not publish room events; add \"\(AppConfig.publishPermission)\" to its "
                    + "permissions in apps")
        }
        return app
    }
}
