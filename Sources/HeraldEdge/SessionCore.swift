import HeraldModel
import HeraldWire
import NIOCore

/// What every client connection has in common, whatever protocol it speaks, as a pure state machine:
/// authentication, subscriptions and heartbeats.
///
/// Inputs are protocol-neutral `ClientCommand`s, the authorizer's verdicts, the fan-out's confirmations and the
/// time (as a value, so tests advance it instead of sleeping); outputs are `SessionAction`s. A protocol's session
/// (`ProtocolSession`) reads its own packets into commands and renders the replies among the actions in its own
/// way; `ConnectionDriver` performs the rest. Every command with an `id` gets exactly one acknowledgement,
/// whatever happens in between.
public struct SessionCore: Sendable {
    /// Heartbeat and authentication timing, from `edge.heartbeat_*` (defaults 25 s and 20 s).
    public struct Timing: Sendable, Hashable {
        /// A ping goes out this long after the previous one.
        public var heartbeatInterval: TimeAmount
        /// How much longer than one interval the edge waits for any frame before closing with 4008.
        public var heartbeatTimeout: TimeAmount
        /// How long a connection without a token in its URL may take to send `{"type":"auth"}`.
        public var authenticationTimeout: TimeAmount

        public init(
            heartbeatInterval: TimeAmount = .seconds(25), heartbeatTimeout: TimeAmount = .seconds(20),
            authenticationTimeout: TimeAmount = .seconds(10)
        ) {
            self.heartbeatInterval = heartbeatInterval
            self.heartbeatTimeout = heartbeatTimeout
            self.authenticationTimeout = authenticationTimeout
        }
    }

    /// How a connection begins.
    public enum Start: Sendable, Hashable {
        /// The upgrade request carried a good token.
        case authenticated(Principal)
        /// The client must present a token (`ClientCommand.authenticate`) within the authentication timeout.
        case awaitingToken
        /// Open at once without a user (a Pusher connection until it signs in): its subscriptions are decided
        /// by the authorizer for nobody in particular, or granted by the protocol (`ClientCommand.join`).
        case anonymous
    }

    public enum Phase: Sendable, Hashable {
        /// Upgraded without a token: the first message must present one.
        case awaitingToken
        /// The token is with the authorizer.
        case authenticating
        case open
        /// A close frame was sent or received; nothing else is sent.
        case closed
    }

    /// A channel the connection asked for, from the command to the confirmation that deliveries flow.
    enum Membership: Sendable, Hashable {
        /// With the authorizer; `waiters` are the subscribe commands to acknowledge.
        case authorizing(waiters: [CommandID], cancelled: Bool)
        /// Allowed, and being added to the edge's fan-out.
        case joining(waiters: [CommandID], cancelled: Bool)
        case joined
    }

    /// Commands a client may send between `auth` and the verdict; they are handled once it is open.
    public static let maximumDeferredCommands = 32

    public let connectionID: String
    public let timing: Timing
    public private(set) var phase: Phase
    public private(set) var principal: Principal?
    var memberships: [String: Membership] = [:]
    /// The position a channel's first subscribe asked to recover from, until the channel is joined.
    private var recoveries: [String: ChannelPosition] = [:]
    private var deferred: [ClientCommand] = []
    private var lastHeard: NIODeadline
    private var nextPing: NIODeadline
    private let authenticationDeadline: NIODeadline
    private var isReleased = false
    /// The wall clock at `now` of `init`, to place the token's `exp` on the session's clock; nil: never expire.
    private let wallOrigin: (deadline: NIODeadline, milliseconds: Int64)?
    /// When the principal's token runs out; nil without `exp` (or without a wall clock).
    private(set) var lifetime: TokenLifetime?
    /// The `refresh` command waiting for the authorizer's verdict on its token.
    var pendingRefreshID: CommandID?
    /// When true, a refused token leaves the connection open and waiting for another (Socket.IO answers a
    /// refused CONNECT with CONNECT_ERROR and lets the client try again); otherwise it closes with 4001.
    public var retriesAuthentication = false
    /// Whether opening joins the user's personal channels (`user.{sub}`, `private-user.{sub}`).
    public var joinsPersonalChannels = true

    /// A session for a connection that was upgraded at `now`. With `wallMilliseconds` (the wall clock at
    /// `now`), the principal's token expiry is enforced: a `token_expiring` notice, then `TOKEN_EXPIRED`.
    public init(
        connectionID: String, start: Start, timing: Timing, now: NIODeadline, wallMilliseconds: Int64? = nil
    ) {
        self.connectionID = connectionID
        self.wallOrigin = wallMilliseconds.map { (now, $0) }
        self.timing = timing
        switch start {
        case .authenticated(let principal):
            self.principal = principal
            self.phase = .authenticating
        case .awaitingToken:
            self.phase = .awaitingToken
        case .anonymous:
            self.phase = .open
        }
        self.lastHeard = now
        self.nextPing = now + timing.heartbeatInterval
        self.authenticationDeadline = now + timing.authenticationTimeout
    }

    /// A session authenticated already when its URL or header carried a good token (`principal`), or waiting
    /// for its first message otherwise.
    public init(
        connectionID: String, principal: Principal?, timing: Timing, now: NIODeadline, wallMilliseconds: Int64? = nil
    ) {
        self.init(
            connectionID: connectionID, start: principal.map { .authenticated($0) } ?? .awaitingToken, timing: timing,
            now: now, wallMilliseconds: wallMilliseconds)
    }

    /// The first actions after the upgrade: `connected` and the personal channels when already authenticated.
    public mutating func start() -> [SessionAction] {
        guard phase == .authenticating, let principal else { return [] }
        return open(as: principal, serverTime: 0)
    }

    /// Whether deliveries on `channel` reach this connection.
    public func isJoined(_ channel: String) -> Bool { memberships[channel] == .joined }

    /// The channels the connection is subscribed to (deliveries flow), sorted.
    public var joinedChannels: [String] {
        memberships.compactMap { $0.value == .joined ? $0.key : nil }.sorted()
    }

    // MARK: Commands

    /// A text message, read by the connection's protocol. `serverTime` (ms since the epoch) answers `ping`.
    public mutating func receive(_ command: ClientCommand, serverTime: Int64) -> [SessionAction] {
        switch phase {
        case .closed:
            return []
        case .awaitingToken:
            guard case .authenticate(let token) = command else {
                return refuseConnection(
                    .authenticationFailed, #"authenticate first: send {"type":"auth","token":"…"} as the first message"#
                )
            }
            phase = .authenticating
            return [.authorizeConnect(token: Self.bareToken(token))]
        case .authenticating:
            guard deferred.count < Self.maximumDeferredCommands else {
                return [.send(.error(code: .rateLimitExceeded, message: "wait for \"connected\" before sending more"))]
            }
            deferred.append(command)
            return []
        case .open:
            return handle(command, serverTime: serverTime)
        }
    }

    private mutating func handle(_ command: ClientCommand, serverTime: Int64) -> [SessionAction] {
        switch command {
        case .authenticate:
            return [.send(.error(code: .invalidPayload, message: "this connection is already authenticated"))]
        case .refresh(let id, let token):
            return refresh(id: id, token: token)
        case .subscribe(let id, let channel, let recover, let token):
            return subscribe(id: id, channel: channel, granted: false, token: token, recover: recover)
        case .join(let id, let channel):
            return subscribe(id: id, channel: channel, granted: true)
        case .unsubscribe(let id, let channel):
            return unsubscribe(id: id, channel: channel)
        case .ping(let id):
            return [.send(.ack(id: id, result: .pong(milliseconds: serverTime)))]
        case .presence(let id, _):
            return handle(.unsupported(id: id, type: "presence"), serverTime: serverTime)
        case .publish(let id, _):
            // Sessions decide client events themselves while open; one sent before `connected` ends here.
            return [
                .send(.refused(id: id, code: .invalidPayload, message: "wait for \"connected\" before publishing"))
            ]
        case .unsupported(let id, let type):
            return [
                .send(
                    .refused(
                        id: id, code: .invalidPayload,
                        message:
                            "unknown command \"\(type)\"; this edge accepts subscribe, unsubscribe, publish, presence, refresh and ping"
                    ))
            ]
        case .invalid(let id, let message):
            return [.send(.refused(id: id, code: .invalidPayload, message: message))]
        case .malformed(let message):
            return [.send(.error(code: .invalidPayload, message: message))]
        }
    }

    private mutating func subscribe(
        id: CommandID, channel: String, granted: Bool, token: String? = nil, recover: ChannelPosition? = nil
    ) -> [SessionAction] {
        guard ChannelName.isValid(channel) else {
            return [
                .send(
                    .refused(
                        id: id, code: .invalidPayload,
                        message: "'\(channel)' is not a channel name: 1–200 characters of A-Z a-z 0-9 _ . : @ = , - #"))
            ]
        }
        switch memberships[channel] {
        case .joined:
            return [.send(.ack(id: id, result: .channel(channel)))]
        case .authorizing(let waiters, _):
            memberships[channel] = .authorizing(waiters: waiters + [id], cancelled: false)
            return []
        case .joining(let waiters, _):
            memberships[channel] = .joining(waiters: waiters + [id], cancelled: false)
            return []
        case nil where granted:
            memberships[channel] = .joining(waiters: [id], cancelled: false)
            return [.join(channel: channel, recover: recover)]
        case nil:
            recoveries[channel] = recover
            memberships[channel] = .authorizing(waiters: [id], cancelled: false)
            return [.authorizeSubscribe(channel: channel, token: token)]
        }
    }

    private mutating func unsubscribe(id: CommandID, channel: String) -> [SessionAction] {
        var actions: [SessionAction] = []
        switch memberships[channel] {
        case .joined:
            memberships[channel] = nil
            actions.append(.leave(channel: channel))
        case .authorizing(let waiters, _):
            memberships[channel] = .authorizing(waiters: waiters, cancelled: true)
        case .joining(let waiters, _):
            memberships[channel] = .joining(waiters: waiters, cancelled: true)
        case nil:
            break
        }
        actions.append(.send(.ack(id: id, result: .channel(channel))))
        return actions
    }

    /// An anonymous connection proves who it is later (Pusher's `pusher:signin`, checked by the protocol): from
    /// now on deliveries are filtered for `principal`. Refused once a principal is set.
    public mutating func signIn(_ principal: Principal) -> [SessionAction] {
        guard phase == .open, self.principal == nil else { return [] }
        self.principal = principal
        return [.opened(principal)]
    }

    // MARK: Verdicts and confirmations

    /// The authorizer's answer to `authorizeConnect` (while open: to a `refresh`).
    public mutating func connectVerdict(_ verdict: Result<Principal, WireFailure>, serverTime: Int64) -> [SessionAction]
    {
        if phase == .open, let id = pendingRefreshID {
            return refreshVerdict(id: id, verdict, serverTime: serverTime)
        }
        guard phase == .authenticating else { return [] }
        switch verdict {
        case .success(let principal):
            return open(as: principal, serverTime: serverTime)
        case .failure(let failure):
            let code = failure.errorCode ?? .internal
            switch code {
            case .authenticationFailed where retriesAuthentication, .tokenExpired where retriesAuthentication:
                phase = .awaitingToken
                return [.send(.error(code: code, message: failure.message))]
            case .authenticationFailed, .tokenExpired:
                return refuseConnection(code, failure.message)
            case .connectionLimit:
                phase = .closed
                return [
                    .send(.error(code: code, message: failure.message)),
                    .close(.tryAgainLater, reason: "connection limit; close another connection first"),
                ]
            default:
                phase = .closed
                return [
                    .send(.error(code: code, message: "cannot check the token now: \(failure.message)")),
                    .close(.tryAgainLater, reason: "authorizer unavailable; reconnect later"),
                ]
            }
        }
    }

    /// The authorizer's answer to `authorizeSubscribe`.
    public mutating func subscribeVerdict(channel: String, _ verdict: Result<Void, WireFailure>) -> [SessionAction] {
        guard phase != .closed, case .authorizing(let waiters, let cancelled) = memberships[channel] else { return [] }
        switch verdict {
        case .success where cancelled:
            memberships[channel] = nil
            recoveries[channel] = nil
            return waiters.map { .send(.ack(id: $0, result: .channel(channel))) }
        case .success:
            memberships[channel] = .joining(waiters: waiters, cancelled: false)
            return [.join(channel: channel, recover: recoveries[channel])]
        case .failure(let failure):
            memberships[channel] = nil
            recoveries[channel] = nil
            let code = failure.errorCode ?? .internal
            let message = code == .permissionDenied ? "Unauthorized" : failure.message
            return waiters.map { .send(.refused(id: $0, code: code, message: message)) }
        }
    }

    /// The fan-out now delivers `channel` to this connection (the answer to `join`): the subscribe is
    /// acknowledged with the channel's position and, when it asked to recover, the recovery's outcome (whose
    /// replayed events the driver writes right after the acknowledgement).
    public mutating func joined(
        channel: String, position: ChannelPosition? = nil, recovery: RecoveryOutcome? = nil
    ) -> [SessionAction] {
        guard case .joining(let waiters, let cancelled) = memberships[channel] else { return [] }
        recoveries[channel] = nil
        guard phase != .closed else {
            memberships[channel] = nil
            return [.leave(channel: channel)]
        }
        let result = AckResult.subscribed(Subscription(channel: channel, position: position, recovery: recovery))
        let acks = waiters.map { SessionAction.send(.ack(id: $0, result: result)) }
        if cancelled {
            memberships[channel] = nil
            return [.leave(channel: channel)] + acks
        }
        memberships[channel] = .joined
        return acks
    }

    /// Channels the connection's driver joined on the session's behalf (a restored session, each authorized
    /// again): they count as joined from now on.
    public mutating func adopt(_ channels: [String]) {
        guard phase == .open else { return }
        for channel in channels where memberships[channel] == nil { memberships[channel] = .joined }
    }

    /// Joins the user's personal channels that the connection does not have yet (after a restore that did not
    /// bring them, when `joinsPersonalChannels` was off while it ran).
    public mutating func joinPersonalChannels() -> [SessionAction] {
        guard phase == .open, let principal else { return [] }
        var actions: [SessionAction] = []
        for channel in ChannelName.personal(userID: principal.userID) where memberships[channel] == nil {
            memberships[channel] = .joining(waiters: [], cancelled: false)
            actions.append(.join(channel: channel, recover: nil))
        }
        return actions
    }

    /// The fan-out could not deliver `channel` with the recovery it asked for (the batcher did not answer): the
    /// subscribe is refused with `code` so the client tries again, rather than acknowledged with a gap.
    public mutating func joinFailed(channel: String, code: ErrorCode, message: String) -> [SessionAction] {
        guard case .joining(let waiters, _) = memberships[channel] else { return [] }
        memberships[channel] = nil
        recoveries[channel] = nil
        return [.leave(channel: channel)] + waiters.map { .send(.refused(id: $0, code: code, message: message)) }
    }

    // MARK: Frames and the connection's end

    /// Any frame arrived: the client is alive.
    public mutating func heard(now: NIODeadline) {
        lastHeard = now
    }

    /// A binary frame: the native protocol is text only.
    public mutating func binaryReceived() -> [SessionAction] {
        guard phase != .closed else { return [] }
        return [.send(.error(code: .invalidPayload, message: "binary frames are not supported; send JSON text frames"))]
    }

    /// The client started the closing handshake; echo its code (RFC 6455 §5.5.1).
    public mutating func closeReceived(code: UInt16?) -> [SessionAction] {
        guard phase != .closed else { return [] }
        phase = .closed
        let echoed = code.flatMap { (1000...4999).contains($0) && $0 != 1005 && $0 != 1006 ? $0 : nil } ?? 1000
        return [.close(CloseCode(rawValue: echoed), reason: "")]
    }

    /// The edge ends the connection (`goingAway`, `messageTooBig`, `slowConsumer`, `protocolError`).
    /// With `authenticationFailed` (a revoked token) the client first hears why, as an `AUTHENTICATION_FAILED`
    /// error.
    public mutating func terminate(_ code: CloseCode, reason: String) -> [SessionAction] {
        guard phase != .closed else { return [] }
        if code == .authenticationFailed { return refuseConnection(.authenticationFailed, reason) }
        phase = .closed
        return [.close(code, reason: reason)]
    }

    /// The connection is gone: leave every channel it had joined. Channels still being joined are left when
    /// their confirmation arrives. Returns nothing the second time.
    public mutating func released() -> [SessionAction] {
        phase = .closed
        guard !isReleased else { return [] }
        isReleased = true
        let channels = joinedChannels
        for channel in channels { memberships[channel] = nil }
        return channels.map { .leave(channel: $0) }
    }

    // MARK: Time

    /// When `tick(now:)` must next run.
    public var nextWakeup: NIODeadline {
        var wakeup = min(nextPing, silenceDeadline)
        if phase == .awaitingToken || phase == .authenticating { wakeup = min(wakeup, authenticationDeadline) }
        if phase == .open, let lifetime { wakeup = min(wakeup, lifetime.nextWakeup) }
        return wakeup
    }

    private var silenceDeadline: NIODeadline { lastHeard + timing.heartbeatInterval + timing.heartbeatTimeout }

    /// Heartbeats and deadlines: pings every interval, closes a silent connection with 4008 and one that never
    /// authenticated with 4001; tells the client its token is about to expire, and ends the connection with
    /// `TOKEN_EXPIRED` (4001) when it has.
    public mutating func tick(now: NIODeadline) -> [SessionAction] {
        guard phase != .closed else { return [] }
        var notices: [SessionAction] = []
        if phase == .open, var lifetime {
            let step = lifetime.step(now: now)
            self.lifetime = lifetime
            switch step {
            case .expired: return refuseConnection(.tokenExpired, "Token expired")
            case .expiring(let expiresAt): notices.append(.send(.tokenExpiring(expiresAt: expiresAt)))
            case nil: break
            }
        }
        return notices + heartbeat(now: now)
    }

    private mutating func heartbeat(now: NIODeadline) -> [SessionAction] {
        if phase == .awaitingToken || phase == .authenticating, now >= authenticationDeadline {
            let seconds = timing.authenticationTimeout.nanoseconds / 1_000_000_000
            return refuseConnection(.authenticationFailed, "no token within \(seconds) s of connecting")
        }
        if now >= silenceDeadline {
            phase = .closed
            let seconds = (timing.heartbeatInterval + timing.heartbeatTimeout).nanoseconds / 1_000_000_000
            return [.close(.heartbeatTimeout, reason: "no frame or pong for \(seconds) s")]
        }
        guard now >= nextPing else { return [] }
        nextPing = now + timing.heartbeatInterval
        return [.ping]
    }

    // MARK: Helpers

    private mutating func open(as principal: Principal, serverTime: Int64) -> [SessionAction] {
        setPrincipal(principal, serverTime: serverTime)
        phase = .open
        let personal = joinsPersonalChannels ? ChannelName.personal(userID: principal.userID) : []
        var actions: [SessionAction] = [
            .opened(principal),
            .send(.connected(connectionID: connectionID, userID: principal.userID, channels: personal)),
        ]
        for channel in personal where memberships[channel] == nil {
            memberships[channel] = .joining(waiters: [], cancelled: false)
            actions.append(.join(channel: channel, recover: nil))
        }
        let waiting = deferred
        deferred = []
        for command in waiting { actions += handle(command, serverTime: serverTime) }
        return actions
    }

    /// Sets the principal and its token's lifetime; `serverTime` is the wall clock now (0: the session's start).
    mutating func setPrincipal(_ principal: Principal, serverTime: Int64) {
        self.principal = principal
        lifetime = nil
        guard let expiresAt = principal.expiresAt, let wallOrigin else { return }
        let wall = serverTime > 0 ? serverTime : wallOrigin.milliseconds
        let now = wallOrigin.deadline + .milliseconds(wall - wallOrigin.milliseconds)
        lifetime = TokenLifetime(expiresAt: expiresAt, now: now, wallMilliseconds: wall)
    }

    private mutating func refuseConnection(_ code: ErrorCode, _ message: String) -> [SessionAction] {
        phase = .closed
        return [.send(.error(code: code, message: message)), .close(.authenticationFailed, reason: message)]
    }

    /// Tokens are accepted as `Bearer <jwt>` or bare (docs/protocol.md).
    public static func bareToken(_ token: String) -> String {
        let trimmed = token.drop { $0 == " " }
        if trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " {
            return String(trimmed.dropFirst(7).drop { $0 == " " })
        }
        return String(trimmed)
    }
}
