import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension ChannelHub {
    /// A request the batcher passes on from the HTTP API: `channels-query` is answered from the channel table
    /// and the presence roster, `terminate-user` closes the user's connections on every loop. The answer goes
    /// back on the batcher link; when the link dropped meanwhile, the batcher has already given up on it.
    /// On `loop`.
    func answer(_ request: Request) {
        switch request.method {
        case StageRequests.channelsQuery:
            respond(to: request) {
                let query = try StageRequests.decode(StageRequests.ChannelsQuery.self, from: request.params)
                let answer = ChannelReport.answer(query, table: table, roster: roster)
                return loop.makeSucceededFuture(StageRequests.encode(answer))
            }
        case StageRequests.terminateUser:
            respond(to: request) {
                let ask = try StageRequests.decode(StageRequests.TerminateUser.self, from: request.params)
                return terminate(userID: ask.userID).map { closed in
                    self.counters.usersTerminated += closed
                    self.logger.info(
                        "closed a user's connections at the application's request",
                        metadata: ["herald.user.id": "\(ask.userID)", "herald.connections": "\(closed)"])
                    return StageRequests.encode(StageRequests.TerminatedConnections(connections: closed))
                }
            }
        default:
            respond(to: request) { throw HeraldError(.notFound, "unknown request '\(request.method)'") }
        }
    }

    /// Closes every connection of `userID` on every loop with `CloseCode.terminated` (4009 on Pusher
    /// connections); the future has how many there were.
    private func terminate(userID: String) -> EventLoopFuture<Int> {
        let closed = shards.map { shard in
            shard.loop.submit {
                shard.terminate(userID: userID, code: .terminated, reason: "terminated by the application")
            }
        }
        return EventLoopFuture.whenAllSucceed(closed, on: loop).map { $0.reduce(0, +) }
    }

    private func respond(to request: Request, with answer: () throws -> EventLoopFuture<ByteBuffer>) {
        let future: EventLoopFuture<ByteBuffer>
        do {
            future = try answer()
        } catch {
            future = loop.makeFailedFuture(error)
        }
        future.hop(to: loop).whenComplete { result in
            self.counters.requestsAnswered += 1
            let outcome = result.mapError { WireFailure($0) }
            self.batcher.sendIfConnected(.response(Response(id: request.id, outcome: outcome)))
        }
    }
}
