import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension EdgeRuntime {
    /// A request the authorizer sends down its link: `revoke-token` closes every connection holding the
    /// revoked token on every loop and answers how many there were. On the authorizer link's loop.
    func answerAuthorizer(_ request: Request) {
        let answer: EventLoopFuture<ByteBuffer>
        switch request.method {
        case StageRequests.revokeToken:
            do {
                let ask = try StageRequests.decode(StageRequests.RevokeToken.self, from: request.params)
                answer = closeConnections(tokenID: ask.tokenID).map { closed in
                    self.logger.info(
                        "closed a revoked token's connections",
                        metadata: ["herald.token.id": "\(ask.tokenID)", "herald.connections": "\(closed)"])
                    return StageRequests.encode(StageRequests.TerminatedConnections(connections: closed))
                }
            } catch {
                answer = authorizer.loop.makeFailedFuture(error)
            }
        default:
            answer = authorizer.loop.makeFailedFuture(HeraldError(.notFound, "unknown request '\(request.method)'"))
        }
        answer.hop(to: authorizer.loop).whenComplete { result in
            let outcome = result.mapError { WireFailure($0) }
            self.authorizer.sendIfConnected(.response(Response(id: request.id, outcome: outcome)))
        }
    }

    private func closeConnections(tokenID: String) -> EventLoopFuture<Int> {
        let closed = shards.map { shard in
            shard.loop.submit { shard.terminate(tokenID: tokenID, reason: "Token revoked") }
        }
        return EventLoopFuture.whenAllSucceed(closed, on: authorizer.loop).map { $0.reduce(0, +) }
    }
}
