import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension StageRequests {
    /// The requests that keep `limits.connections_per_user` counts, answered at once on the authorizer's loop.
    static let connectionBookkeeping: Set<String> = [connectionsClosed, connectionsRestated]
}

extension AuthorizerService {
    /// A decision's answer, once the connection it names (a good token's, when the edge named one) is counted for
    /// its user; or CONNECTION_LIMIT when the user holds `limits.connections_per_user` connections already. On
    /// `loop`.
    func countConnection(_ decision: Decision, from peer: StagePeer) -> Result<ByteBuffer, HeraldError> {
        guard let counted = decision.connection else { return .success(decision.answer) }
        guard connections.open(counted.connection, user: counted.user, on: peer) else {
            logger.info(
                "refused a connection over the user's limit",
                metadata: [
                    "herald.user.id": "\(counted.user)", "herald.conn.id": "\(counted.connection)",
                    "herald.peer": "\(peer)",
                ])
            return .failure(
                HeraldError(
                    .connectionLimit,
                    "user \(counted.user) holds \(connections.limit) connections already, the most "
                        + "limits.connections_per_user allows; close one and retry"))
        }
        return .success(decision.answer)
    }

    /// `connections-closed` and `connections-restated`. On `loop`.
    func keepCount(_ request: Request, from peer: StagePeer) -> Result<ByteBuffer, WireFailure> {
        do {
            switch request.method {
            case StageRequests.connectionsClosed:
                let closed = try StageRequests.decode(StageRequests.ConnectionsClosed.self, from: request.params)
                for connection in closed.connections { connections.close(connection, on: peer) }
            default:
                let open = try StageRequests.decode(StageRequests.ConnectionsRestated.self, from: request.params)
                connections.restate(open.connections.map { ($0.connection, $0.user) }, on: peer)
                logger.info(
                    "an edge restated its connections",
                    metadata: ["herald.peer": "\(peer)", "herald.connections": "\(open.connections.count)"])
            }
            return .success(StageRequests.encode(StageRequests.Done()))
        } catch {
            return .failure(WireFailure(error))
        }
    }
}
