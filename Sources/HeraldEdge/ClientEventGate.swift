import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

/// A client's event as any protocol reads it: a name, the channel it is sent on, and its data (the raw bytes of
/// a JSON value; empty for none).
public struct ClientEventRequest: Sendable, Hashable {
    public var name: String
    public var channel: String
    public var data: ByteBuffer

    public init(name: String, channel: String, data: ByteBuffer) {
        self.name = name
        self.channel = channel
        self.data = data
    }
}

/// Who sends a client event.
public struct ClientEventSender: Sendable, Hashable {
    public var connectionID: String
    /// The signed-in user; nil for an anonymous connection (a Pusher connection that has not signed in).
    public var principal: Principal?

    public init(connectionID: String, principal: Principal?) {
        self.connectionID = connectionID
        self.principal = principal
    }
}

/// What becomes of a client event.
public enum ClientEventDecision: Sendable, Hashable {
    /// Publish it to the channel's other subscribers; a typing event also updates the typing timers.
    case publish(WireEvent, typing: TypingUpdate?)
    /// An event an app's `rpc.events` names, sent on a room: a call to the app's backend, with the time the
    /// backend has to answer.
    case call(StageRequests.ClientRPC, timeout: Duration)
    case refused(ErrorCode, String)
}

/// The decisions every protocol shares about a connection's client events (`channels.client_events`,
/// `apps[].rpc`, `limits.client_events_per_minute`, typing indicators). Pure: the time comes in as a value.
public struct ClientEventGate: Sendable {
    /// How long a typing indicator lasts unless the client asks for less (its own `data.expires_at`).
    public static let typingMilliseconds: Int64 = 5_000
    static let typingStarted = ".typing.started"
    static let typingStopped = ".typing.stopped"

    let policy: ClientEventPolicy
    let apps: [AppConfig]
    let priorities: PriorityTable
    private var window: RateWindow

    public init(settings: EdgeSettings, now: NIODeadline) {
        policy = settings.clientEvents
        apps = settings.apps
        priorities = settings.priorities
        window = RateWindow(limit: settings.clientEventsPerMinute, now: now)
    }

    /// Counts one event against `limits.client_events_per_minute`; nil when admitted, else the wait.
    public mutating func admit(now: NIODeadline) -> TimeAmount? {
        window.admit(now: now)
    }

    /// The refusal's words for a wait `admit` returned.
    public static func rateLimitMessage(_ wait: TimeAmount) -> String {
        let seconds = max(1, (wait.nanoseconds + 999_999_999) / 1_000_000_000)
        return "more than limits.client_events_per_minute client events; retry in \(seconds) s"
    }

    /// Decides `request` from `sender`, who has joined the channel when `joined`. Calls and published events
    /// are counted against the rate limit (unless `counted`: the protocol counted every message already);
    /// refusals are not.
    public mutating func decide(
        _ request: ClientEventRequest, from sender: ClientEventSender, joined: Bool, counted: Bool = false,
        now: SessionInstant
    ) -> ClientEventDecision {
        guard EventName.isValidPusherName(request.name) else {
            return .refused(.invalidPayload, "\"\(request.name)\" is not an event name: 1-200 of A-Z a-z 0-9 _ . : -")
        }
        guard ChannelName.isValid(request.channel), joined else {
            return .refused(
                .permissionDenied, "subscribe to \(request.channel) before sending events on it")
        }
        if let principal = sender.principal, let room = Self.room(of: request.channel),
            let app = AppConfig.rpcApp(for: request.name, in: apps)
        {
            if !counted, let wait = window.admit(now: now.deadline) {
                return .refused(.rateLimitExceeded, Self.rateLimitMessage(wait))
            }
            let call = StageRequests.ClientRPC(
                app: app.id, event: request.name, room: room, data: request.data, principal: principal,
                socketID: sender.connectionID)
            return .call(call, timeout: .milliseconds(Int64(app.rpc.timeoutMilliseconds)))
        }
        guard policy.allows(request.name, on: request.channel) else {
            return .refused(.permissionDenied, policy.refusal(request.name, on: request.channel))
        }
        if !counted, let wait = window.admit(now: now.deadline) {
            return .refused(.rateLimitExceeded, Self.rateLimitMessage(wait))
        }
        return publish(request, from: sender, now: now)
    }

    private func publish(_ request: ClientEventRequest, from sender: ClientEventSender, now: SessionInstant)
        -> ClientEventDecision
    {
        var userID: ByteBuffer?
        if let principal = sender.principal {
            var id = ByteBuffer()
            id.writeJSONString(principal.userID)
            userID = id
        }
        let priority = priorities.priority(for: request.name)
        var data = request.data
        var typing: TypingUpdate?
        if let prefix = Self.prefix(of: request.name, ending: Self.typingStarted) {
            let key = TypingKey(
                channel: request.channel, typist: sender.principal?.userID ?? sender.connectionID, prefix: prefix)
            let user = Self.user(sender)
            var expiresAt = now.wallMilliseconds + Self.typingMilliseconds
            let fields = try? JSONScanner.object(request.data)
            if let asked = fields?["expires_at"]?.value.int64, asked < expiresAt { expiresAt = asked }
            data = Self.typingData(fields, expiresAt: expiresAt, user: user)
            typing = .start(
                TypingStop(key: key, user: user, userID: userID, socketID: sender.connectionID, priority: priority),
                expiresAt: expiresAt)
        } else if let prefix = Self.prefix(of: request.name, ending: Self.typingStopped) {
            typing = .stop(
                TypingKey(
                    channel: request.channel, typist: sender.principal?.userID ?? sender.connectionID, prefix: prefix))
        }
        let event = WireEvent(
            id: EventID.generate(), name: request.name, channels: [request.channel],
            timestamp: Clock.rfc3339(milliseconds: now.wallMilliseconds), priority: priority, userID: userID,
            isClientEvent: true, audience: Audience(excludeSocketID: sender.connectionID), data: data)
        return .publish(event, typing: typing)
    }

    // MARK: Shapes

    /// The room id of `room.{roomId}`.
    static func room(of channel: String) -> String? {
        guard channel.hasPrefix("room."), channel.count > 5 else { return nil }
        return String(channel.dropFirst(5))
    }

    static func prefix(of name: String, ending suffix: String) -> String? {
        guard name.hasSuffix(suffix), name.count > suffix.count else { return nil }
        return String(name.dropLast(suffix.count))
    }

    /// `{"id","name"}`: the typist, named by its token (`name` is null when the token has none).
    static func user(_ sender: ClientEventSender) -> ByteBuffer {
        var user = ByteBuffer()
        user.writeStaticString(#"{"id":"#)
        user.writeJSONString(sender.principal?.userID ?? sender.connectionID)
        user.writeStaticString(#","name":"#)
        if let name = sender.principal?.name { user.writeJSONString(name) } else { user.writeStaticString("null") }
        user.writeInteger(UInt8(ascii: "}"))
        return user
    }

    /// The client's data object (anything else reads as `{}`) with `expires_at` and `user` set by the edge.
    static func typingData(_ fields: JSONObject?, expiresAt: Int64, user: ByteBuffer) -> ByteBuffer {
        var data = ByteBuffer()
        data.writeInteger(UInt8(ascii: "{"))
        for member in fields?.members ?? [] where member.key != "expires_at" && member.key != "user" {
            data.writeJSONString(member.key)
            data.writeInteger(UInt8(ascii: ":"))
            data.writeJSONRaw(member.value.raw)
            data.writeInteger(UInt8(ascii: ","))
        }
        data.writeStaticString(#""expires_at":"#)
        data.writeJSONNumber(expiresAt)
        data.writeStaticString(#","user":"#)
        data.writeJSONRaw(user)
        data.writeInteger(UInt8(ascii: "}"))
        return data
    }
}
