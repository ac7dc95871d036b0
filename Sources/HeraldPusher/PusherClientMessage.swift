import HeraldWire
import NIOCore

/// One message from a Pusher client: `{"event": …, "channel"?: …, "data"?: …}`. `data` is an object for the
/// protocol's own events, and any JSON for client events; clients that send it as a JSON string (some do, for
/// `pusher:subscribe`) get it read as the object inside.
public enum PusherClientMessage: Sendable, Hashable {
    case ping
    case pong
    /// `pusher:subscribe {channel, auth?, channel_data?}`.
    case subscribe(channel: String, auth: String?, channelData: String?)
    case unsubscribe(channel: String)
    /// `pusher:signin {auth, user_data}`.
    case signIn(auth: String, userData: String)
    /// A `client-` event; `data` is its raw JSON.
    case clientEvent(name: String, channel: String, data: ByteBuffer)
    /// A `pusher:` event this edge does not know.
    case unknown(event: String)
    /// Not a Pusher message at all; `reason` says why.
    case malformed(reason: String)

    public init(text: ByteBuffer) {
        let object: JSONObject
        do {
            object = try JSONScanner.object(text)
        } catch {
            self = .malformed(reason: "messages are JSON objects with an \"event\" string")
            return
        }
        guard let event = object["event"]?.value.string else {
            self = .malformed(reason: "messages are JSON objects with an \"event\" string")
            return
        }
        let data = object["data"]?.value
        switch event {
        case "pusher:ping":
            self = .ping
        case "pusher:pong":
            self = .pong
        case "pusher:subscribe":
            guard let fields = Self.fields(of: data), let channel = fields["channel"]?.value.string else {
                self = .malformed(reason: "pusher:subscribe needs data.channel")
                return
            }
            self = .subscribe(
                channel: channel, auth: fields["auth"]?.value.string, channelData: fields["channel_data"]?.value.string)
        case "pusher:unsubscribe":
            guard let channel = Self.fields(of: data)?["channel"]?.value.string else {
                self = .malformed(reason: "pusher:unsubscribe needs data.channel")
                return
            }
            self = .unsubscribe(channel: channel)
        case "pusher:signin":
            guard let fields = Self.fields(of: data), let auth = fields["auth"]?.value.string,
                let userData = fields["user_data"]?.value.string
            else {
                self = .malformed(reason: "pusher:signin needs data.auth and data.user_data strings")
                return
            }
            self = .signIn(auth: auth, userData: userData)
        default:
            if event.hasPrefix("client-") {
                guard let channel = object["channel"]?.value.string else {
                    self = .malformed(reason: "client events need a \"channel\"")
                    return
                }
                self = .clientEvent(name: event, channel: channel, data: data?.raw ?? ByteBuffer(string: "null"))
            } else {
                self = .unknown(event: event)
            }
        }
    }

    /// `data` as an object, whether it came as one or as a JSON string holding one.
    private static func fields(of data: JSONValueRef?) -> JSONObject? {
        guard let data else { return nil }
        if let object = try? data.object() { return object }
        guard let text = data.string else { return nil }
        return try? JSONScanner.object(ByteBuffer(string: text))
    }
}
