import HeraldDaemonKit
import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore

/// One Engine.IO connection speaking Socket.IO: the Engine.IO handshake and heartbeats, the namespaces it has
/// connected, and its events, read into `SessionCore` commands; the core's replies rendered as Socket.IO
/// packets (docs/socketio.md). Pure: every outcome comes back as an input.
///
/// The first CONNECT carries the token (`auth: {token}`); a refused token is answered with CONNECT_ERROR and
/// the client may try again on the same connection. Later CONNECTs (a room's namespace) must present the same
/// token. Connecting to `/rooms/{roomId}` subscribes `room.{roomId}` and is answered once the authorizer allows
/// it and deliveries flow.
struct SocketIOSession: CoreBackedSession {
    var core: SessionCore
    /// Lane 0: main namespace deliveries; lane 1: a room's namespace.
    let lanes: [DeliveryLane]
    let handshake: EngineHandshake
    var connected: Set<SocketNamespace> = []
    private var waitingForToken: [SocketNamespace] = []
    private var token: String?
    private var requests: [CommandID: SocketRequest] = [:]
    private var nextRequest = 0
    private var channelLanes: [String: DeliveryLane] = [:]
    /// Client events and calls; every emitted event counts against its rate limit.
    var gate: ClientEventGate
    /// Calls waiting for a backend's answer, by ticket: the acknowledgement to send it to.
    var calls: [Int: (ack: SocketAckID?, namespace: SocketNamespace)] = [:]
    /// Client events waiting for the pipeline's verdict, by ticket: their ack (or `error`) follows it.
    var publishing: [Int: (ack: SocketAckID?, namespace: SocketNamespace, event: EventID)] = [:]
    var nextTicket = 0
    /// Set when the edge was full: every CONNECT is answered with this, and the connection closed.
    let overCapacity: String?
    /// The main namespace's recoverable session id (`pid`), once it is connected.
    private(set) var pid: String?
    /// The id a new session gets.
    private let freshPID: String
    /// The session the client asked to recover in its main-namespace CONNECT, until the restore answers.
    private var restoreRequest: SessionRestore?
    /// The main-lane channels last saved with the batcher for this session.
    private var savedChannels: [String] = []
    private let allocator = ByteBufferAllocator()
    /// `presence:get_online` questions waiting for the batcher's member list, by tag.
    var presenceQueries: [Int: PresenceQuery] = [:]
    private var lastPresenceTag = 0

    struct PresenceQuery: Sendable, Hashable {
        var room: String
        var ack: SocketAckID
        var namespace: SocketNamespace
    }

    mutating func nextPresenceTag() -> Int {
        lastPresenceTag += 1
        return lastPresenceTag
    }

    /// `pid` is the id a new recoverable session gets (random unless a test fixes it).
    init(_ context: SessionContext, pid: String = SocketIOSession.makePID()) {
        var core = SessionCore(
            connectionID: context.connectionID, start: .awaitingToken, timing: context.settings.timing,
            now: context.now.deadline, wallMilliseconds: context.now.wallMilliseconds)
        core.retriesAuthentication = true
        self.core = core
        self.lanes = context.lanes
        let polling = context.request.queryValue(named: "transport") == "polling"
        self.handshake = EngineHandshake(
            sid: context.connectionID, upgrades: polling ? ["websocket"] : [],
            pingInterval: .nanoseconds(context.settings.timing.heartbeatInterval.nanoseconds),
            pingTimeout: .nanoseconds(context.settings.timing.heartbeatTimeout.nanoseconds),
            maxPayload: context.settings.maxMessageBytes)
        self.gate = ClientEventGate(settings: context.settings, now: context.now.deadline)
        self.overCapacity = context.overCapacity
        self.freshPID = pid
    }

    /// 128 random bits in hex: the session id a client must present to recover the session.
    static func makePID() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        let text = String(high, radix: 16) + String(low, radix: 16)
        return String(repeating: "0", count: max(0, 32 - text.count)) + text
    }

    private var socketID: String { core.connectionID }

    mutating func start(now: SessionInstant) -> [ConnectionAction] {
        let handshake = self.handshake
        return [.write(frame { $0.writeEngineOpenPacket(handshake) })]
    }

    // MARK: Engine.IO

    mutating func receive(text: ByteBuffer, now: SessionInstant) -> [ConnectionAction] {
        core.heard(now: now.deadline)
        guard !isClosed else { return [] }
        let packet: EnginePacket
        do {
            packet = try EnginePacket.decode(text: text)
        } catch {
            return render(core.terminate(.protocolError, reason: "not an Engine.IO packet: \(error.message)"))
        }
        switch packet.type {
        case .ping:
            // Engine.IO 4 servers ping, but a probe (`2probe`) or an old client's ping is answered in kind.
            let data = packet.data
            return [.write(frame { $0.writeEnginePacket(EnginePacket(.pong, data: data)) })]
        case .pong, .noop, .upgrade:
            return []
        case .close:
            return render(core.terminate(.normal, reason: "the client closed the connection"))
        case .open:
            return render(core.terminate(.protocolError, reason: "clients do not send open packets"))
        case .message:
            do {
                return handle(try SocketPacket.decode(packet.data), now: now)
            } catch {
                return render(core.terminate(.protocolError, reason: "not a Socket.IO packet: \(error.message)"))
            }
        }
    }

    mutating func receiveBinary(now: SessionInstant) -> [ConnectionAction] {
        core.heard(now: now.deadline)
        guard !isClosed else { return [] }
        return refuseBinary(namespace: .main)
    }

    // MARK: Socket.IO packets

    private mutating func handle(_ packet: SocketPacket, now: SessionInstant) -> [ConnectionAction] {
        switch packet {
        case .connect(let connect):
            return self.connect(connect)
        case .disconnect(let namespace):
            connected.remove(namespace)
            guard let room = SocketRooms.roomID(of: namespace) else { return [] }
            return unsubscribe(SocketRooms.channel(ofRoom: room), ack: nil, namespace: namespace, style: .namespace)
        case .event(let event):
            guard connected.contains(event.namespace) else { return [] }
            if let wait = gate.admit(now: now.deadline) {
                return refuse(event, .rateLimitExceeded, ClientEventGate.rateLimitMessage(wait))
            }
            return handle(event, now: now)
        case .ack:
            return []
        case .connectError:
            return render(core.terminate(.protocolError, reason: "clients do not send CONNECT_ERROR"))
        case .binaryNotSupported(let binary):
            return refuseBinary(namespace: binary.namespace)
        }
    }

    private mutating func connect(_ connect: SocketConnect) -> [ConnectionAction] {
        let namespace = connect.namespace
        guard namespace.isMain || SocketRooms.roomID(of: namespace) != nil else {
            return [.write(frame { $0.writeSocketConnectError(message: "Invalid namespace", namespace: namespace) })]
        }
        if let overCapacity {
            return [.write(frame { $0.writeSocketConnectError(message: overCapacity, namespace: namespace) })]
                + render(core.terminate(.tryAgainLater, reason: "this edge is full; reconnect later"))
        }
        let presented = connect.auth.flatMap { try? $0.object() }?["token"]?.value.string.map(SessionCore.bareToken)
        switch core.phase {
        case .awaitingToken:
            guard let presented, !presented.isEmpty else {
                return [
                    .write(
                        frame {
                            $0.writeSocketConnectError(
                                message: "Authentication failed: No token provided", namespace: namespace)
                        })
                ]
            }
            token = presented
            waitingForToken.append(namespace)
            if namespace.isMain, let restore = Self.restoreRequest(connect, lane: lanes[0]) {
                // The restore joins the session's channels, the user's own among them.
                restoreRequest = restore
                core.joinsPersonalChannels = false
            }
            return render(core.receive(.authenticate(token: presented), serverTime: 0))
        case .authenticating:
            guard presented == token else { return connectRefused(namespace, "Authentication failed: Invalid token") }
            waitingForToken.append(namespace)
            return []
        case .open:
            guard presented == token else {
                return connectRefused(
                    namespace, "Authentication failed: this connection was authenticated with another token")
            }
            return accept(namespace)
        case .closed:
            return []
        }
    }

    private mutating func accept(_ namespace: SocketNamespace) -> [ConnectionAction] {
        guard let room = SocketRooms.roomID(of: namespace) else {
            if namespace.isMain, pid == nil, let restore = restoreRequest {
                return [.restoreSession(restore)]
            }
            connected.insert(namespace)
            let sid = socketID
            if namespace.isMain, pid == nil { pid = freshPID }
            let pid = namespace.isMain ? pid : nil
            return [.write(frame { $0.writeSocketConnect(sid: sid, namespace: namespace, pid: pid) })]
        }
        return subscribe(SocketRooms.channel(ofRoom: room), ack: nil, namespace: namespace, style: .namespace)
    }

    private func connectRefused(_ namespace: SocketNamespace, _ message: String) -> [ConnectionAction] {
        [.write(frame { $0.writeSocketConnectError(message: message, namespace: namespace) })]
    }

    private mutating func refuseBinary(namespace: SocketNamespace) -> [ConnectionAction] {
        let error = Self.errorValue(.invalidPayload, "binary packets are not supported; send JSON")
        return [.write(frame { $0.writeSocketEvent(name: "error", arguments: [error.json], namespace: namespace) })]
            + render(core.terminate(.protocolError, reason: "binary packets are not supported"))
    }

    /// The restore a main-namespace CONNECT asks for: `pid` (and `offset`, the last cursor received) beside the
    /// token in its auth payload.
    static func restoreRequest(_ connect: SocketConnect, lane: DeliveryLane) -> SessionRestore? {
        guard let auth = connect.auth.flatMap({ try? $0.object() }), let pid = auth["pid"]?.value.string,
            !pid.isEmpty
        else { return nil }
        let cursor = auth["offset"]?.value.string.flatMap(SocketRecoveryCursor.init(text:))
        return SessionRestore(pid: pid, cursor: cursor, namespace: SocketNamespace.main.path, lane: lane)
    }

    /// The restore's outcome: the channels are the session's; the CONNECT is answered with the same `pid` when
    /// every missed event was replayed (`socket.recovered` is true), with a new one otherwise.
    mutating func restored(_ restoration: SessionRestoration) -> [ConnectionAction] {
        guard let restore = restoreRequest, !isClosed else { return [] }
        restoreRequest = nil
        core.joinsPersonalChannels = true
        core.adopt(restoration.channels)
        pid = restoration.recovered ? restore.pid : freshPID
        connected.insert(.main)
        let sid = socketID
        let pid = self.pid
        return [.write(frame { $0.writeSocketConnect(sid: sid, namespace: .main, pid: pid) })]
            + render(core.joinPersonalChannels())
    }

    // MARK: Subscriptions

    mutating func subscribe(
        _ channel: String, ack: SocketAckID?, namespace: SocketNamespace, style: SocketRequest.Style,
        token: String? = nil
    ) -> [ConnectionAction] {
        if channelLanes[channel] == nil, !core.isJoined(channel) {
            channelLanes[channel] = style == .namespace ? lanes[1] : lanes[0]
        }
        let id = nextID()
        requests[id] = .subscribe(channel: channel, ack: ack, namespace: namespace, style: style)
        return render(core.receive(.subscribe(id: id, channel: channel, recover: nil, token: token), serverTime: 0))
    }

    mutating func unsubscribe(
        _ channel: String, ack: SocketAckID?, namespace: SocketNamespace, style: SocketRequest.Style
    ) -> [ConnectionAction] {
        let id = nextID()
        requests[id] = .unsubscribe(channel: channel, ack: ack, namespace: namespace, style: style)
        return render(core.receive(.unsubscribe(id: id, channel: channel), serverTime: 0))
    }

    private mutating func nextID() -> CommandID {
        nextRequest += 1
        return CommandID(json: String(nextRequest))
    }

    // MARK: Verdicts, confirmations, time

    // MARK: Rendering the core's actions

    mutating func render(_ actions: [SessionAction]) -> [ConnectionAction] {
        var out: [ConnectionAction] = []
        for action in actions {
            switch action {
            case .send(let reply):
                out += render(reply)
            case .authorizeConnect(let token):
                out.append(.authorizeConnect(token: token))
            case .authorizeSubscribe(let channel, let token):
                out.append(.authorizeSubscribe(core.principal ?? .anonymous, channel: channel, token: token))
            case .opened(let principal):
                out.append(.opened(principal))
            case .principalChanged(let principal):
                out.append(.principalChanged(principal))
            case .join(let channel, let recover):
                out.append(.join(channel: channel, lane: channelLanes[channel] ?? lanes[0], recover: recover))
            case .leave(let channel):
                channelLanes[channel] = nil
                out.append(.leave(channel: channel))
            case .ping:
                out.append(.write(frame { $0.writeEnginePacket(EnginePacket(.ping)) }))
            case .close(let code, let reason):
                out.append(.close(code, reason: reason))
            }
        }
        if let save = sessionSave() { out.append(.saveSession(save)) }
        return out
    }

    /// What to keep with the batcher when the main namespace's channels changed since the last save.
    private mutating func sessionSave() -> StageRequests.SessionSave? {
        guard let pid, let userID = core.principal?.userID, !isClosed else { return nil }
        let channels = core.joinedChannels.filter { channelLanes[$0] != lanes[1] }
        guard channels != savedChannels else { return nil }
        savedChannels = channels
        return StageRequests.SessionSave(
            pid: pid, userID: userID, namespace: SocketNamespace.main.path, channels: channels)
    }

    private mutating func render(_ reply: ClientReply) -> [ConnectionAction] {
        switch reply {
        case .connected:
            let waiting = waitingForToken
            waitingForToken = []
            return waiting.flatMap { accept($0) }
        case .error(let code, let message) where !waitingForToken.isEmpty:
            let waiting = waitingForToken
            waitingForToken = []
            token = nil
            restoreRequest = nil
            core.joinsPersonalChannels = true
            let text = Self.connectErrorMessage(code, message)
            let data = SocketValue.object([.init("code", .string(code.rawValue))]).json
            return waiting.map { namespace in
                .write(frame { $0.writeSocketConnectError(message: text, data: data, namespace: namespace) })
            }
        case .error(.tokenExpired, let message):
            let error = Self.errorValue(.tokenExpired, message)
            return [.write(frame { $0.writeSocketEvent(name: "token:expired", arguments: [error.json]) })]
        case .tokenExpiring(let expiresAt):
            let notice = SocketValue.object([.init("expires_at", .int(Int(expiresAt)))])
            return [.write(frame { $0.writeSocketEvent(name: "token:expiring", arguments: [notice.json]) })]
        case .error(let code, let message):
            let error = Self.errorValue(code, message)
            return [.write(frame { $0.writeSocketEvent(name: "error", arguments: [error.json]) })]
        case .ack(let id, _):
            guard let request = requests.removeValue(forKey: id) else { return [] }
            return answer(request, refusal: nil)
        case .refused(let id, let code, let message):
            guard let request = requests.removeValue(forKey: id) else { return [] }
            return answer(request, refusal: (code, message))
        }
    }

    /// The CONNECT_ERROR message for a refused token, in the words socket.io clients are written against.
    static func connectErrorMessage(_ code: ErrorCode, _ message: String) -> String {
        switch code {
        case .tokenExpired: "Authentication failed: Token expired"
        case .authenticationFailed: "Authentication failed: Invalid token"
        case .connectionLimit: "CONNECTION_LIMIT: \(message)"
        default: "\(code.rawValue): cannot check the token now (\(message)); retry shortly"
        }
    }
}
