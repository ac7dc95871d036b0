import HeraldDaemonKit
import HeraldSystemd
import HeraldWire
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Plays the authorizer on a temp-dir Unix socket: records every event it is sent, and acknowledges each one
/// unless told not to.
final class FakeAuthorizer: StageInputDelegate, @unchecked Sendable {
    let acknowledges: Bool
    private let received = NIOLockedValueBox<[WireEvent]>([])
    private var server: StageInputServer?

    private init(acknowledges: Bool) { self.acknowledges = acknowledges }

    static func start(socketPath: String, acknowledges: Bool, loop: any EventLoop) async throws -> FakeAuthorizer {
        let fake = FakeAuthorizer(acknowledges: acknowledges)
        let fd = try SocketBinder.bindUnix(path: socketPath)
        fake.server = try await StageInputServer.start(
            boundSocket: fd, loop: loop, delegate: fake, logger: Logger(label: "fake-authorizer"))
        return fake
    }

    var events: [WireEvent] { received.withLockedValue { $0 } }

    func close() async { await server?.close() }

    func peerJoined(_ peer: StagePeer) {}
    func peerLeft(_ peer: StagePeer) {}

    func peer(_ peer: StagePeer, sent message: WireMessage) {
        guard case .event(let event) = message else { return }
        received.withLockedValue { $0.append(event) }
        if acknowledges { peer.send(.ack([event.id])) }
    }
}
