import HeraldAppSigning
import HeraldConfig
import HeraldDaemonKit
import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore

/// One Pusher connection: reads Pusher messages into `SessionCore` commands, checks signed subscriptions and
/// sign-ins against the app's secret itself, and renders the core's replies as Pusher frames.
///
/// A connection is anonymous until it signs in; public channels are decided by the authorizer for whoever it
/// is, while `private-` and `presence-` channels are granted by a valid signature alone, as Pusher grants them.
struct PusherSession: CoreBackedSession {
    /// Why the connection is refused as soon as it opens.
    struct Refusal: Sendable, Hashable {
        var code: UInt16
        var message: String
    }

    /// What kind of channel a subscription is, from the moment it is asked for.
    enum Kind: Sendable, Hashable {
        case open
        case signed
        case presence(PresenceMember)
    }

    var core: SessionCore
    let app: AppConfig?
    let refusal: Refusal?
    let lane: DeliveryLane
    let activityTimeout: Int
    let priorities: PriorityTable
    private(set) var kinds: [String: Kind] = [:]
    private var gate: ClientEventGate
    /// Client events waiting for the pipeline's verdict; a refusal is told with `pusher:error`.
    private var publishing: Set<Int> = []
    private var nextTicket = 0
    private let allocator = ByteBufferAllocator()

    init(
        connectionID: String, app: AppConfig?, refusal: Refusal?, settings: EdgeSettings, lane: DeliveryLane,
        now: SessionInstant
    ) {
        core = SessionCore(connectionID: connectionID, start: .anonymous, timing: settings.timing, now: now.deadline)
        core.joinsPersonalChannels = false
        self.app = app
        self.refusal = refusal
        self.lane = lane
        self.activityTimeout = Int(settings.timing.heartbeatInterval.nanoseconds / 1_000_000_000)
        self.priorities = settings.priorities
        self.gate = ClientEventGate(settings: settings, now: now.deadline)
    }

    private var socketID: String { core.connectionID }
    private var credentials: AppCredentials? { app.map { AppCredentials(key: $0.key, secret: $0.secret) } }

    mutating func start(now: SessionInstant) -> [ConnectionAction] {
        if let refusal { return close(refusal.code, refusal.message) }
        return [
            .opened(nil),
            .write(
                PusherFrame.connectionEstablished(
                    socketID: socketID, activityTimeout: activityTimeout, allocator: allocator)),
        ]
    }

    mutating func receive(text: ByteBuffer, now: SessionInstant) -> [ConnectionAction] {
        core.heard(now: now.deadline)
        guard !isClosed else { return [] }
        switch PusherClientMessage(text: text) {
        case .ping:
            return [.write(PusherFrame.pong(allocator: allocator))]
        case .pong:
            return []
        case .subscribe(let channel, let auth, let channelData):
            return subscribe(channel, auth: auth, channelData: channelData)
        case .unsubscribe(let channel):
            return render(core.receive(.unsubscribe(id: Self.unsubscribeID(channel), channel: channel), serverTime: 0))
        case .signIn(let auth, let userData):
            return signIn(auth: auth, userData: userData)
        case .clientEvent(let name, let channel, let data):
            return clientEvent(name, channel: channel, data: data, now: now)
        case .unknown(let event):
            return [.write(PusherFrame.error(code: nil, message: "unknown event \"\(event)\"", allocator: allocator))]
        case .malformed(let reason):
            return [.write(PusherFrame.error(code: nil, message: reason, allocator: allocator))]
        }
    }

    mutating func receiveBinary(now: SessionInstant) -> [ConnectionAction] {
        core.heard(now: now.deadline)
        guard !isClosed else { return [] }
        return [
            .write(
                PusherFrame.error(
                    code: nil, message: "binary frames are not supported; send JSON text", allocator: allocator))
        ]
    }

    mutating func presenceJoined(channel: String, members: [PresenceMember]) -> [ConnectionAction] {
        guard case .presence = kinds[channel], core.isJoined(channel) else { return [] }
        return [.write(PusherFrame.subscriptionSucceeded(channel: channel, members: members, allocator: allocator))]
    }

    mutating func closeReceived(code: UInt16?) -> [ConnectionAction] {
        // The client's code is echoed as it came (RFC 6455 §5.5.1): it is not one of the edge's reasons to close,
        // so it is neither translated to a Pusher code nor announced with `pusher:error`.
        core.closeReceived(code: code).compactMap { action in
            guard case .close(let echoed, let reason) = action else { return nil }
            return .close(echoed, reason: reason)
        }
    }

    // MARK: Messages

    private mutating func subscribe(_ channel: String, auth: String?, channelData: String?) -> [ConnectionAction] {
        guard ChannelName.isValid(channel) else {
            return refuse(channel, status: 400, "\"\(channel)\" is not a channel name a client may subscribe to")
        }
        if channel.hasPrefix("#") {
            // pusher-js subscribes to its user's channel itself once signed in, with an empty auth; the edge
            // joined it at sign-in, so this is answered from the core. No other `#` channel is open to clients.
            guard let userID = core.principal?.userID, channel == Self.personalChannel(userID) else {
                return refuse(channel, status: 403, "\"\(channel)\" is the channel of another user or of no one")
            }
            return render(core.receive(.join(id: Self.subscribeID(channel), channel: channel), serverTime: 0))
        }
        let isPresence = channel.hasPrefix("presence-")
        guard isPresence || channel.hasPrefix("private-") else {
            if kinds[channel] == nil { kinds[channel] = .open }
            return render(
                core.receive(.subscribe(id: Self.subscribeID(channel), channel: channel, recover: nil), serverTime: 0))
        }
        guard let credentials, let auth,
            ChannelAuthorization.verify(
                auth, socketID: socketID, channel: channel, channelData: isPresence ? channelData : nil,
                credentials: credentials)
        else {
            return refuse(channel, status: 401, "Invalid signature: the auth does not sign \(socketID):\(channel)")
        }
        if isPresence {
            guard let member = channelData.flatMap(Self.member(from:)) else {
                return refuse(channel, status: 400, "presence channels need channel_data with a user_id")
            }
            kinds[channel] = .presence(member)
        } else {
            kinds[channel] = .signed
        }
        return render(core.receive(.join(id: Self.subscribeID(channel), channel: channel), serverTime: 0))
    }

    private mutating func signIn(auth: String, userData: String) -> [ConnectionAction] {
        guard let credentials,
            UserAuthentication.verify(auth, socketID: socketID, userData: userData, credentials: credentials),
            let fields = try? JSONScanner.object(ByteBuffer(string: userData)),
            let id = fields["id"].flatMap({ Self.identifier($0.value) })
        else {
            return close(
                PusherCloseCode.unauthorized, "sign-in refused: the auth does not sign this user_data, or it has no id")
        }
        if let current = core.principal, current.userID != id {
            let message =
                "this connection is signed in as \"\(current.userID)\" already; reconnect to sign in as another user"
            return [.write(PusherFrame.error(code: nil, message: message, allocator: allocator))]
        }
        let name = (try? fields["user_info"]?.value.object())?["name"]?.value.string
        var actions: [ConnectionAction] = [.write(PusherFrame.signInSuccess(userData: userData, allocator: allocator))]
        actions += render(core.signIn(Principal(userID: id, name: name)))
        let personal = Self.personalChannel(id)
        kinds[personal] = .signed
        actions += render(core.receive(.join(id: Self.subscribeID(personal), channel: personal), serverTime: 0))
        return actions
    }

    private mutating func clientEvent(_ name: String, channel: String, data: ByteBuffer, now: SessionInstant)
        -> [ConnectionAction]
    {
        guard EventName.isValid(name) else {
            return [
                .write(PusherFrame.error(code: nil, message: "\"\(name)\" is not an event name", allocator: allocator))
            ]
        }
        guard channel.hasPrefix("private-") || channel.hasPrefix("presence-"), core.isJoined(channel) else {
            let message = "client events go to a private- or presence- channel this connection has subscribed to"
            return [.write(PusherFrame.error(code: nil, message: message, allocator: allocator))]
        }
        // The sender is the signed-in user, or the member its presence subscription names.
        var principal = core.principal
        if principal == nil, case .presence(let member) = kinds[channel] {
            principal = Principal(userID: member.userID)
        }
        let request = ClientEventRequest(name: name, channel: channel, data: data)
        let sender = ClientEventSender(connectionID: socketID, principal: principal)
        switch gate.decide(request, from: sender, joined: true, now: now) {
        case .publish(let event, let typing):
            nextTicket += 1
            publishing.insert(nextTicket)
            return [.publish(event, ticket: nextTicket)] + (typing.map { [.typing($0)] } ?? [])
        case .refused(let code, let message):
            return refusedClientEvent(code, message)
        case .call:
            // Calls need a room channel, which Pusher client events (private- and presence- only) never name.
            return []
        }
    }

    /// The pipeline's verdict on a client event: nothing when it was taken; a refusal (the user's limit across
    /// connections, a channel's or the global one) is a `pusher:error`, as one the edge decides itself.
    mutating func published(ticket: Int, _ outcome: Result<Void, WireFailure>) -> [ConnectionAction] {
        guard publishing.remove(ticket) != nil, case .failure(let failure) = outcome else { return [] }
        return refusedClientEvent(failure.errorCode ?? .internal, failure.message)
    }

    /// `pusher:error` for a refused client event: code 4301 when over a rate limit, no code otherwise.
    private func refusedClientEvent(_ code: ErrorCode, _ message: String) -> [ConnectionAction] {
        guard code == .rateLimitExceeded else {
            return [.write(PusherFrame.error(code: nil, message: "\(code.rawValue): \(message)", allocator: allocator))]
        }
        let text = "Client event rejected due to rate limit: \(message)"
        return [
            .write(PusherFrame.error(code: PusherCloseCode.clientEventRateLimit, message: text, allocator: allocator))
        ]
    }

    /// Ends the connection with a Pusher code: `pusher:error`, then the close frame.
    private mutating func close(_ code: UInt16, _ message: String) -> [ConnectionAction] {
        _ = core.terminate(.normal, reason: message)
        return [
            .write(PusherFrame.error(code: code, message: message, allocator: allocator)),
            .close(CloseCode(rawValue: code), reason: message),
        ]
    }

    private mutating func refuse(_ channel: String, status: Int, _ message: String) -> [ConnectionAction] {
        [.write(PusherFrame.subscriptionError(channel: channel, status: status, error: message, allocator: allocator))]
    }

    // MARK: Rendering the core's actions

    mutating func render(_ actions: [SessionAction]) -> [ConnectionAction] {
        var out: [ConnectionAction] = []
        for action in actions {
            switch action {
            case .send(let reply):
                out += render(reply)
            case .authorizeConnect(let token):
                out.append(.authorizeConnect(token: token))
            case .authorizeSubscribe(let channel, _):
                out.append(.authorizeSubscribe(core.principal ?? .anonymous, channel: channel))
            case .opened(let principal):
                out.append(.opened(principal))
            case .principalChanged(let principal):
                out.append(.principalChanged(principal))
            case .join(let channel, _):
                out.append(.join(channel: channel, lane: lane))
            case .leave(let channel):
                out.append(.leave(channel: channel))
                if case .presence = kinds[channel] { out.append(.presenceLeave(channel: channel)) }
                kinds[channel] = nil
            case .ping:
                out.append(.write(PusherFrame.ping(allocator: allocator)))
            case .close(let code, let reason):
                let pusherCode = PusherCloseCode.code(for: code)
                if pusherCode >= 4000 {
                    out.append(.write(PusherFrame.error(code: pusherCode, message: reason, allocator: allocator)))
                }
                out.append(.close(CloseCode(rawValue: pusherCode), reason: reason))
            }
        }
        return out
    }

    private mutating func render(_ reply: ClientReply) -> [ConnectionAction] {
        switch reply {
        case .ack(let id, let result) where result.channel.map(Self.subscribeID) == id:
            let channel = result.channel ?? ""
            // The core acknowledges a subscription the client gave up before it was confirmed too; Pusher
            // clients hear nothing more about it (a late `subscription_succeeded` without a member list would
            // reach a presence channel the client subscribed to again).
            guard core.isJoined(channel) else { return [] }
            if case .presence(let member) = kinds[channel] {
                return [.presenceJoin(channel: channel, member: member)]
            }
            return [.write(PusherFrame.subscriptionSucceeded(channel: channel, members: nil, allocator: allocator))]
        case .refused(let id, let code, let message):
            guard let channel = Self.channel(of: id) else { return [] }
            kinds[channel] = nil
            let status = code == .permissionDenied ? 403 : code.httpStatus
            return [
                .write(
                    PusherFrame.subscriptionError(
                        channel: channel, status: status, error: message, allocator: allocator))
            ]
        case .error(_, let message):
            return [.write(PusherFrame.error(code: nil, message: message, allocator: allocator))]
        case .ack, .connected, .tokenExpiring:
            return []
        }
    }

    // MARK: Helpers

    /// Subscriptions are tracked in the core under ids derived from the channel: one per channel and direction.
    static func subscribeID(_ channel: String) -> CommandID { CommandID(json: "\"s:" + channel + "\"") }
    static func unsubscribeID(_ channel: String) -> CommandID { CommandID(json: "\"u:" + channel + "\"") }

    /// The channel a signed-in user's `sendToUser` events go to.
    static func personalChannel(_ userID: String) -> String { "#server-to-user-" + userID }

    static func channel(of id: CommandID) -> String? {
        guard id.json.hasPrefix("\"s:"), id.json.hasSuffix("\"") else { return nil }
        return String(id.json.dropFirst(3).dropLast())
    }

    /// The member a presence subscription's `channel_data` describes: `user_id` (string or number) and
    /// `user_info`.
    static func member(from channelData: String) -> PresenceMember? {
        guard let fields = try? JSONScanner.object(ByteBuffer(string: channelData)),
            let id = fields["user_id"].flatMap({ identifier($0.value) })
        else { return nil }
        let info = fields["user_info"].map { ByteBuffer(buffer: $0.value.raw) }
        return PresenceMember(userID: id, info: info)
    }

    /// A user id as a string, from a JSON string or integer.
    static func identifier(_ value: JSONValueRef) -> String? {
        if let text = value.string, !text.isEmpty { return text }
        if value.kind == .number, let number = value.int64 { return String(number) }
        return nil
    }
}
