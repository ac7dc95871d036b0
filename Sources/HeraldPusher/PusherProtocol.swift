import HeraldConfig
import HeraldEdge
import NIOCore

/// The Pusher Channels protocol (versions 5–7) at `/app/{key}`, as pusher-js, Laravel Echo and pysher speak it:
/// anonymous connections, public channels decided by the authorizer, `private-` and `presence-` channels
/// signed by the app's own auth endpoint, `client-` events, and `pusher:signin`.
public struct PusherProtocol: ClientProtocol {
    public static let pathPrefix = "/app/"
    /// The protocol versions spoken.
    public static let versions = 5...7

    public init() {}

    public var name: String { "pusher" }

    public var deliveryEncoders: [any DeliveryEncoder] { [PusherDeliveryEncoder()] }

    public func serves(path: String) -> Bool {
        path.hasPrefix(Self.pathPrefix) && path.count > Self.pathPrefix.count
            && !path.dropFirst(Self.pathPrefix.count).contains("/")
    }

    /// Every request is upgraded: Pusher clients learn about an unknown key or version from a `pusher:error`
    /// and a close code, which tell them not to retry.
    public func admit(_ request: ConnectionRequest) -> Admission {
        .upgrade(token: nil)
    }

    /// A full edge is refused with error 4004 (over connection quota), which tells Pusher clients to wait.
    public var refusesInBand: Bool { true }

    public func makeSession(_ context: SessionContext) -> any ProtocolSession {
        let key = String(context.request.path.dropFirst(Self.pathPrefix.count))
        let app = context.settings.apps.first { $0.key == key }
        let refusal: PusherSession.Refusal?
        if app == nil {
            refusal = .init(
                code: PusherCloseCode.applicationDoesNotExist,
                message: "no app has the key \"\(key)\"; check apps[].key")
        } else if let message = context.overCapacity {
            refusal = .init(code: PusherCloseCode.overConnectionQuota, message: message)
        } else {
            refusal = Self.versionRefusal(context.request.queryValue(named: "protocol"))
        }
        return PusherSession(
            connectionID: context.connectionID, app: app, refusal: refusal, settings: context.settings,
            lane: context.lanes[0], now: context.now)
    }

    static func versionRefusal(_ version: String?) -> PusherSession.Refusal? {
        guard let version else {
            return .init(
                code: PusherCloseCode.noProtocolVersion, message: "no protocol version: connect with ?protocol=7")
        }
        guard let number = Int(version) else {
            return .init(code: PusherCloseCode.invalidVersionFormat, message: "protocol \"\(version)\" is not a number")
        }
        guard versions.contains(number) else {
            return .init(
                code: PusherCloseCode.unsupportedProtocolVersion,
                message: "protocol \(number) is not supported; Herald speaks 5 to 7")
        }
        return nil
    }
}
