import Foundation
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore
import Synchronization

/// Stands in for herald-authorizer: `good-<id>` tokens are user `<id>` with role member, `expired` is expired,
/// `down` is what an unreachable authorizer looks like, anything else is invalid; channels starting with `secret.`
/// are refused.
final class FakeAuthorizer: StageInputDelegate, @unchecked Sendable {
    func peerJoined(_ peer: StagePeer) {}
    func peerLeft(_ peer: StagePeer) {}

    func peer(_ peer: StagePeer, sent message: WireMessage) {
        guard case .request(let request) = message else { return }
        peer.send(.response(Response(id: request.id, outcome: answer(request))))
    }

    private func answer(_ request: Request) -> Result<ByteBuffer, WireFailure> {
        switch request.method {
        case StageRequests.authorizeConnect:
            guard let ask = try? StageRequests.decode(StageRequests.AuthorizeConnect.self, from: request.params) else {
                return .failure(WireFailure(.invalidPayload, "bad params"))
            }
            if ask.token == "expired" { return .failure(WireFailure(.tokenExpired, "token expired")) }
            if ask.token == "down" { return .failure(WireFailure(.unavailable, "authorizer did not answer in time")) }
            guard ask.token.hasPrefix("good-") else {
                return .failure(WireFailure(.authenticationFailed, "invalid token"))
            }
            let principal = Principal(userID: String(ask.token.dropFirst(5)), roles: ["member"])
            return .success(StageRequests.encode(StageRequests.ConnectVerdict(principal: principal)))
        case StageRequests.authorizeSubscribe:
            guard let ask = try? StageRequests.decode(StageRequests.AuthorizeSubscribe.self, from: request.params)
            else {
                return .failure(WireFailure(.invalidPayload, "bad params"))
            }
            if ask.channel.hasPrefix("secret.") { return .failure(WireFailure(.permissionDenied, "no rule allows it")) }
            return .success(StageRequests.encode(StageRequests.SubscribeVerdict(allowed: true)))
        default:
            return .failure(WireFailure(.notFound, "unknown request"))
        }
    }
}

/// Stands in for herald-batcher: answers every interest change with epoch `e1` offset 0 for each added channel,
/// reports each change to the test, and lets the test deliver events to (or drop) the edge's connection.
final class FakeBatcher: StageInputDelegate, @unchecked Sendable {
    let changes: AsyncStream<StageRequests.InterestChange>
    private let continuation: AsyncStream<StageRequests.InterestChange>.Continuation
    private let edge = Mutex<StagePeer?>(nil)
    /// Requests the test sends the edge, as the real batcher passes on the HTTP API's questions.
    private let calls = Mutex<PeerRequests?>(nil)

    /// The stream of changes ends after `watchdog`, so a test waiting for a change that never comes fails
    /// instead of hanging.
    init(watchdog: Duration = .seconds(20)) {
        (changes, continuation) = AsyncStream.makeStream(of: StageRequests.InterestChange.self)
        Task { [continuation] in
            try? await Task.sleep(for: watchdog)
            continuation.finish()
        }
    }

    func peerJoined(_ peer: StagePeer) {
        edge.withLock { $0 = peer }
        calls.withLock { $0 = $0 ?? PeerRequests(loop: peer.eventLoop) }
    }

    func peerLeft(_ peer: StagePeer) {
        edge.withLock { if $0 === peer { $0 = nil } }
    }

    func peer(_ peer: StagePeer, sent message: WireMessage) {
        if case .response(let response) = message {
            calls.withLock { $0 }?.received(response, from: peer)
            return
        }
        guard case .request(let request) = message, request.method == StageRequests.interest,
            let change = try? StageRequests.decode(StageRequests.InterestChange.self, from: request.params)
        else { return }
        var positions: [String: ChannelPosition] = [:]
        for entry in change.add { positions[entry.channel] = .init(epoch: "e1", offset: 0) }
        peer.send(
            .response(
                Response(
                    id: request.id,
                    outcome: .success(StageRequests.encode(StageRequests.InterestPositions(positions: positions))))))
        continuation.yield(change)
    }

    /// Sends `deliver` frames to the connected edge, in order.
    func deliver(_ events: [WireEvent]) async throws {
        guard let peer = edge.withLock({ $0 }) else { throw NoEdge() }
        try await peer.eventLoop.submit { for event in events { peer.send(.deliver(event)) } }.get()
    }

    /// Sends one `batch` frame holding `events` to the connected edge, as a window's flush.
    func deliver(batch events: [WireEvent]) async throws {
        guard let peer = edge.withLock({ $0 }) else { throw NoEdge() }
        try await peer.eventLoop.submit { peer.send(.batch(events)) }.get()
    }

    /// Sends the edge a request and waits for its answer.
    func ask(_ method: String, _ params: some Encodable) async throws -> ByteBuffer {
        guard let peer = edge.withLock({ $0 }), let calls = calls.withLock({ $0 }) else { throw NoEdge() }
        let encoded = StageRequests.encode(params)
        return try await peer.eventLoop.flatSubmit {
            calls.send(method: method, params: encoded, to: peer, timeout: .seconds(5))
        }.get()
    }

    /// Drops the edge's connection, as a batcher restart would.
    func dropEdge() async throws {
        guard let peer = edge.withLock({ $0 }) else { throw NoEdge() }
        try await peer.eventLoop.submit { peer.close() }.get()
    }

    struct NoEdge: Error {}
}
