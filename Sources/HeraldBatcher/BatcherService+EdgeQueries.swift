import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension BatcherService {
    /// How long the batcher waits for each edge's answer to a request it passes on.
    static let edgeAnswerTimeout: Duration = .seconds(2)

    /// A request for every edge (`channels-query`, `terminate-user`), from the authorizer: asks each connected
    /// edge, waits for their answers, and answers with the merge. An edge that fails or does not answer within
    /// `edgeAnswerTimeout` is left out of the merge and logged; the others' answer still goes back. On `loop`.
    func askEdges(_ request: Request, from source: StagePeer) {
        let edges = engine.fanOut.connected
        let answers = edges.map { edge in
            edgeRequests.send(
                method: request.method, params: request.params, to: edge, timeout: Self.edgeAnswerTimeout
            ).flatMapErrorThrowing { error in
                self.logger.warning(
                    "an edge did not answer; leaving it out",
                    metadata: [
                        "herald.peer": "\(edge)", "herald.request": "\(request.method)",
                        "herald.error": "\((error as? HeraldError)?.message ?? "\(error)")",
                    ])
                throw error
            }
        }
        EventLoopFuture.whenAllComplete(answers, on: loop).whenSuccess { results in
            let answered = results.compactMap { try? $0.get() }
            let outcome: Result<ByteBuffer, WireFailure>
            do {
                outcome = .success(try Self.merge(answered, for: request.method))
            } catch {
                outcome = .failure(WireFailure(error))
            }
            source.send(.response(Response(id: request.id, outcome: outcome)))
        }
    }

    /// The merged answer, encoded; an edge answer that does not decode fails the whole request.
    static func merge(_ answers: [ByteBuffer], for method: String) throws -> ByteBuffer {
        switch method {
        case StageRequests.channelsQuery:
            let states = try answers.map { try StageRequests.decode(StageRequests.ChannelStates.self, from: $0) }
            return StageRequests.encode(EdgeAnswerMerge.channels(states))
        case StageRequests.terminateUser:
            let counts = try answers.map {
                try StageRequests.decode(StageRequests.TerminatedConnections.self, from: $0)
            }
            return StageRequests.encode(EdgeAnswerMerge.terminations(counts))
        default:
            throw HeraldError(.notFound, "unknown request '\(method)'")
        }
    }
}
