import HeraldDaemonKit
import HeraldModel
import HeraldSystemd
import HeraldWire
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Plays the authorizer on a temp-dir Unix socket: records every event it is sent, refuses those on `limited.*`
/// and `forbidden.*` channels, and acknowledges the others unless told not to. It answers `room-check` as a
/// backend would: rooms named `missing…` do not exist, the backend of `broken…` rooms cannot answer, every
/// other room exists.
final class FakeAuthorizer: StageInputDelegate, @unchecked Sendable {
    let acknowledges: Bool
    private let received = NIOLockedValueBox<[WireEvent]>([])
    private let roomChecks = NIOLockedValueBox<[StageRequests.RoomCheck]>([])
    private var server: StageInputServer?

    private init(acknowledges: Bool) { self.acknowledges = acknowledges }

    static func start(socketPath: String, acknowledges: Bool, loop: any EventLoop) async throws -> FakeAuthorizer {
        let fake = FakeAuthorizer(acknowledges: acknowledges)
        let fd = try SocketBinder.bindUnix(path: socketPath)
        fake.server = try await StageInputServer.start(
            boundSocket: fd, hello: Hello(stage: "authorizer", instance: "fake-authorizer"), loop: loop, delegate: fake,
            logger: Logger(label: "fake-authorizer"))
        return fake
    }

    var events: [WireEvent] { received.withLockedValue { $0 } }
    var checkedRooms: [StageRequests.RoomCheck] { roomChecks.withLockedValue { $0 } }

    func close() async { await server?.close() }

    func peerJoined(_ peer: StagePeer) {}
    func peerLeft(_ peer: StagePeer) {}

    func peer(_ peer: StagePeer, sent message: WireMessage) {
        if case .request(let request) = message, request.method == StageRequests.roomCheck {
            peer.send(.response(Response(id: request.id, outcome: checkRoom(request.params))))
            return
        }
        guard case .event(let event) = message else { return }
        received.withLockedValue { $0.append(event) }
        if let refusal = Self.refusal(of: event) {
            peer.send(.refused(refusal))
        } else if acknowledges {
            peer.send(.ack([event.id]))
        }
    }

    private func checkRoom(_ params: ByteBuffer) -> Result<ByteBuffer, WireFailure> {
        guard let check = try? StageRequests.decode(StageRequests.RoomCheck.self, from: params) else {
            return .failure(WireFailure(.invalidPayload, "malformed room-check"))
        }
        roomChecks.withLockedValue { $0.append(check) }
        if check.room.hasPrefix("missing") { return .failure(WireFailure(.roomNotFound, "room does not exist")) }
        if check.room.hasPrefix("broken") { return .failure(WireFailure(.unavailable, "the hook did not answer")) }
        return .success(StageRequests.encode(StageRequests.RoomPresence(exists: true)))
    }

    /// Like the real authorizer's limits and rules: events on `limited.*` channels are refused as over a rate
    /// limit (retry after 17 s), those on `forbidden.*` as not permitted.
    static func refusal(of event: WireEvent) -> EventRefusal? {
        if event.channels.contains(where: { $0.hasPrefix("limited.") }) {
            return EventRefusal(
                id: event.id, .rateLimitExceeded, "channel limited.1 takes at most 1 events a minute; retry in 17 s",
                retryAfter: 17)
        }
        if event.channels.contains(where: { $0.hasPrefix("forbidden.") }) {
            return EventRefusal(id: event.id, .permissionDenied, "not on forbidden channels")
        }
        return nil
    }
}
