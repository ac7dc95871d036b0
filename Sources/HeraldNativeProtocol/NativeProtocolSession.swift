import HeraldDaemonKit
import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore

/// A native-protocol connection: `SessionCore` does everything but client events; this reads the JSON commands
/// into it, decides `publish` with a `ClientEventGate`, and renders replies as native frames.
struct NativeProtocolSession: CoreBackedSession {
    var core: SessionCore
    let lane: DeliveryLane
    private var gate: ClientEventGate
    /// The `publish` commands waiting for a backend's answer, by ticket.
    private var calls: [Int: CommandID] = [:]
    /// The `publish` commands waiting for the pipeline to take their event, by ticket: the ack follows its verdict.
    private var publishing: [Int: (id: CommandID, event: EventID)] = [:]
    private var nextTicket = 0
    private let wire = NativeProtocol()
    private let allocator = ByteBufferAllocator()
    /// `presence` commands waiting for the batcher's member list, by tag.
    private var presenceQueries: [Int: CommandID] = [:]
    private var lastPresenceTag = 0

    init(core: SessionCore, lane: DeliveryLane, gate: ClientEventGate) {
        self.core = core
        self.lane = lane
        self.gate = gate
    }

    mutating func start(now: SessionInstant) -> [ConnectionAction] {
        render(core.start())
    }

    mutating func receive(text: ByteBuffer, now: SessionInstant) -> [ConnectionAction] {
        core.heard(now: now.deadline)
        let command = wire.command(fromText: text)
        if case .presence(let id, let channel) = command, core.phase == .open {
            return presence(id: id, channel: channel)
        }
        if case .publish(let id, let request) = command, core.phase == .open {
            return publish(id: id, request, now: now)
        }
        return render(core.receive(command, serverTime: now.wallMilliseconds))
    }

    mutating func receiveBinary(now: SessionInstant) -> [ConnectionAction] {
        core.heard(now: now.deadline)
        return render(core.binaryReceived())
    }

    mutating func called(ticket: Int, _ answer: Result<ByteBuffer, WireFailure>) -> [ConnectionAction] {
        guard let id = calls.removeValue(forKey: ticket), !isClosed else { return [] }
        switch answer {
        case .success(let body):
            return [.write(wire.frame(for: .ack(id: id, result: .answer(body)), allocator: allocator))]
        case .failure(let failure):
            let reply = ClientReply.refused(id: id, code: failure.errorCode ?? .internal, message: failure.message)
            return [.write(wire.frame(for: reply, allocator: allocator))]
        }
    }

    private mutating func publish(id: CommandID, _ request: ClientEventRequest, now: SessionInstant)
        -> [ConnectionAction]
    {
        let sender = ClientEventSender(connectionID: core.connectionID, principal: core.principal)
        switch gate.decide(request, from: sender, joined: core.isJoined(request.channel), now: now) {
        case .publish(let event, let typing):
            nextTicket += 1
            publishing[nextTicket] = (id, event.id)
            return [.publish(event, ticket: nextTicket)] + (typing.map { [.typing($0)] } ?? [])
        case .call(let call, let timeout):
            nextTicket += 1
            calls[nextTicket] = id
            return [.call(call, timeout: timeout, ticket: nextTicket)]
        case .refused(let code, let message):
            return [.write(wire.frame(for: .refused(id: id, code: code, message: message), allocator: allocator))]
        }
    }

    /// The ack of a `publish`, once the pipeline took its event or refused it.
    mutating func published(ticket: Int, _ outcome: Result<Void, WireFailure>) -> [ConnectionAction] {
        guard let pending = publishing.removeValue(forKey: ticket) else { return [] }
        let reply: ClientReply
        switch outcome {
        case .success: reply = .ack(id: pending.id, result: .published(pending.event))
        case .failure(let failure):
            reply = .refused(id: pending.id, code: failure.errorCode ?? .internal, message: failure.message)
        }
        return [.write(wire.frame(for: reply, allocator: allocator))]
    }

    func render(_ actions: [SessionAction]) -> [ConnectionAction] {
        actions.flatMap { action -> [ConnectionAction] in
            switch action {
            case .send(.ack(let id, .subscribed(let subscription))):
                let reply = ClientReply.ack(id: id, result: .subscribed(subscription))
                return [.write(wire.frame(for: reply, allocator: allocator))] + presenceJoin(subscription.channel)
            default:
                return [render(action)]
            }
        }
    }

    private func render(_ action: SessionAction) -> ConnectionAction {
        switch action {
        case .send(let reply): .write(wire.frame(for: reply, allocator: allocator))
        case .authorizeConnect(let token): .authorizeConnect(token: token)
        case .authorizeSubscribe(let channel, let token):
            .authorizeSubscribe(core.principal ?? .anonymous, channel: channel, token: token)
        case .opened(let principal): .opened(principal)
        case .principalChanged(let principal): .principalChanged(principal)
        case .join(let channel, let recover): .join(channel: channel, lane: lane, recover: recover)
        case .leave(let channel): .leave(channel: channel)
        case .ping: .ping
        case .close(let code, let reason): .close(code, reason: reason)
        }
    }

    // MARK: Presence

    /// Subscribing to a `presence-` channel or a room (`room.{roomId}`) makes the user a member there.
    private func presenceJoin(_ channel: String) -> [ConnectionAction] {
        guard let principal = core.principal, NativeProtocol.isPresence(channel) else { return [] }
        return [.presenceJoin(channel: channel, member: PresenceMember(principal))]
    }

    private mutating func presence(id: CommandID, channel: String) -> [ConnectionAction] {
        guard NativeProtocol.isPresence(channel), core.isJoined(channel) else {
            let message = "presence lists the members of a presence- or room. channel this connection subscribes to"
            return [
                .write(wire.frame(for: .refused(id: id, code: .invalidPayload, message: message), allocator: allocator))
            ]
        }
        lastPresenceTag += 1
        presenceQueries[lastPresenceTag] = id
        return [.listPresence(channel: channel, tag: lastPresenceTag)]
    }

    mutating func presenceListed(channel: String, members: [PresenceMember], tag: Int) -> [ConnectionAction] {
        guard let id = presenceQueries.removeValue(forKey: tag) else { return [] }
        return [.write(wire.presenceAnswer(id: id, channel: channel, members: members, allocator: allocator))]
    }
}
