import HeraldAdmin
import HeraldDaemonKit
import HeraldModel
import HeraldTokens
import HeraldWire
import NIOCore

extension AuthorizerService {
    /// How long the authorizer waits for each edge to close a revoked token's connections.
    static let edgeAnswerTimeout: Duration = .seconds(2)

    /// `heraldctl revoke JTI`: records the revocation on disk (so it survives a restart), refuses the token
    /// from now on, and has every connected edge close the connections that hold it.
    func revoke(tokenID: String) async throws -> AdminValue {
        try revocations.append(tokenID)
        try await currentVerifier().revoke(tokenID: tokenID)
        let closed = try await loop.flatSubmit { self.closeOnEdges(tokenID: tokenID) }.get()
        logger.info(
            "revoked a token",
            metadata: [
                "herald.token.id": "\(tokenID)", "herald.connections": "\(closed.connections)",
                "herald.edges": "\(closed.edges)",
            ])
        return [
            "revoked": .string(tokenID), "connections": .int(Int64(closed.connections)),
            "edges": .int(Int64(closed.edges)),
        ]
    }

    /// Sends `revoke-token` to every connected edge and sums the connections they closed. An edge that fails
    /// or does not answer in time is left out and logged; it refuses the token at its next check anyway. On
    /// `loop`.
    func closeOnEdges(tokenID: String) -> EventLoopFuture<(connections: Int, edges: Int)> {
        let params = StageRequests.encode(StageRequests.RevokeToken(tokenID: tokenID))
        let answers = edges.map { edge in
            edgeRequests.send(
                method: StageRequests.revokeToken, params: params, to: edge, timeout: Self.edgeAnswerTimeout
            ).flatMapErrorThrowing { error in
                self.logger.warning(
                    "an edge did not close a revoked token's connections",
                    metadata: [
                        "herald.peer": "\(edge)", "herald.token.id": "\(tokenID)",
                        "herald.error": "\((error as? HeraldError)?.message ?? "\(error)")",
                    ])
                throw error
            }
        }
        return EventLoopFuture.whenAllComplete(answers, on: loop).map { results in
            let counts = results.compactMap { result in
                (try? result.get()).flatMap {
                    try? StageRequests.decode(StageRequests.TerminatedConnections.self, from: $0).connections
                }
            }
            return (counts.reduce(0, +), counts.count)
        }
    }
}
