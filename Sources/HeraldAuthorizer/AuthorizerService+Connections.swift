import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

extension StageRequests {
    /// The requests that keep `limits.connections_per_user` counts, answered at once on the authorizer's loop.
    static let connectionBookkeeping: Set<String> = [connectionsClosed, connectionsRestated]
}

extension AuthorizerService {
    /// A good token's verdict, once its connection (when the edge named one) is counted for its user; or
    /// CONNECTION_LIMIT when the user holds `limits.connections_per_user` connections already. On `loop`.
    func countConnection(_ request: Request, verdict: ByteBuffer, from peer: StagePeer)
        -> Result<ByteBuffer, HeraldError>
    {
        guard
            let ask = try? StageRequests.decode(StageRequests.AuthorizeConnect.self, from: request.params),
            let connection = ask.connection,
            let principal = try? StageRequests.decode(StageRequests.ConnectVerdict.self, from: verdict).principal
        else { return .success(verdict) }
        guard connections.open(connection, user: principal.userID, on: peer) else {
            logger.info(
                "refused a connection over the user's limit",
                metadata: [
                    "herald.user.id": "\(principal.userID)", "herald.conn.id": "\(connection)",
                    "herald.peer": "\(peer)",
                ])
            return .failure(
                HeraldError(
                    .connectionLimit,
                    "user \(principal.userID) holds \(connections.limit) connections already, the most "
                        + "limits.connections_per_user allows; close one and retry"))
        }
        return .success(verdict)
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
