import HeraldModel
import HeraldWire
import NIOCore

/// Requests a stage sends down to peers of its input server (the batcher to its edges), each awaiting its one
/// `response`. Unlike `UpstreamLink.request`, nothing is resent: a peer that leaves or does not answer within
/// the timeout fails the request, and the caller decides what to do without it.
///
/// Confined to `loop`, the input server's, like the peers themselves: every method must be called there, which
/// is why it can be `@unchecked Sendable`.
public final class PeerRequests: @unchecked Sendable {
    private struct Pending {
        var peer: StagePeer
        var promise: EventLoopPromise<ByteBuffer>
        var timeout: Scheduled<Void>
    }

    public let loop: any EventLoop
    private var pending: [UInt64: Pending] = [:]
    private var nextID: UInt64 = 1

    public init(loop: any EventLoop) {
        self.loop = loop
    }

    /// Requests waiting for their answer.
    public var count: Int { pending.count }

    /// Sends `method` to `peer`; the future has its result, or fails with the peer's error, `UNAVAILABLE` after
    /// `timeout`, or `UNAVAILABLE` when the peer leaves first.
    public func send(method: String, params: ByteBuffer, to peer: StagePeer, timeout: Duration)
        -> EventLoopFuture<ByteBuffer>
    {
        loop.preconditionInEventLoop()
        let id = nextID
        nextID += 1
        let promise = loop.makePromise(of: ByteBuffer.self)
        let timer = loop.scheduleTask(in: TimeAmount(timeout)) { [self] () -> Void in
            guard let request = pending.removeValue(forKey: id) else { return }
            request.promise.fail(HeraldError(.unavailable, "\(peer) did not answer \(method) within \(timeout)"))
        }
        pending[id] = Pending(peer: peer, promise: promise, timeout: timer)
        peer.send(.request(Request(id: id, method: method, params: params)))
        return promise.futureResult
    }

    /// Completes the request `response` answers, when `peer` is the one it was sent to. Returns false when no
    /// such request waits (it timed out, or the id is unknown).
    @discardableResult
    public func received(_ response: Response, from peer: StagePeer) -> Bool {
        loop.preconditionInEventLoop()
        guard let request = pending[response.id], request.peer === peer else { return false }
        pending[response.id] = nil
        request.timeout.cancel()
        switch response.outcome {
        case .success(let result): request.promise.succeed(result)
        case .failure(let failure):
            request.promise.fail(HeraldError(ErrorCode(rawValue: failure.code) ?? .internal, failure.message))
        }
        return true
    }

    /// Fails every request waiting on `peer`, which has gone.
    public func peerLeft(_ peer: StagePeer) {
        loop.preconditionInEventLoop()
        for (id, request) in pending where request.peer === peer {
            pending[id] = nil
            request.timeout.cancel()
            request.promise.fail(HeraldError(.unavailable, "\(peer) left before answering"))
        }
    }
}
