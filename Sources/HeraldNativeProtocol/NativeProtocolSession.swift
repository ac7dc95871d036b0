import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore

/// A native-protocol connection: `SessionCore` does everything; this reads the JSON commands into it and
/// renders its replies as native frames.
struct NativeProtocolSession: CoreBackedSession {
    var core: SessionCore
    let lane: DeliveryLane
    private let wire = NativeProtocol()
    private let allocator = ByteBufferAllocator()

    init(core: SessionCore, lane: DeliveryLane) {
        self.core = core
        self.lane = lane
    }

    mutating func start(now: SessionInstant) -> [ConnectionAction] {
        render(core.start())
    }

    mutating func receive(text: ByteBuffer, now: SessionInstant) -> [ConnectionAction] {
        core.heard(now: now.deadline)
        return render(core.receive(wire.command(fromText: text), serverTime: now.wallMilliseconds))
    }

    mutating func receiveBinary(now: SessionInstant) -> [ConnectionAction] {
        core.heard(now: now.deadline)
        return render(core.binaryReceived())
    }

    func render(_ actions: [SessionAction]) -> [ConnectionAction] {
        actions.map { action in
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
    }
}
