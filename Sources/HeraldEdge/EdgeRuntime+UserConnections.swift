import HeraldDaemonKit
import HeraldModel
import NIOCore

extension EdgeRuntime {
    /// `authorize-connect` for `connection`: the principal behind a token, or the authorizer's refusal (among
    /// them CONNECTION_LIMIT, when the user holds `limits.connections_per_user` connections across all edges).
    /// An allowed connection is counted at the authorizer until it ends; then the edge says so.
    func authorizeConnect(token: String, connection: EdgeConnection) -> EventLoopFuture<Principal> {
        let id = connection.id
        return authorizer.request(
            method: StageRequests.authorizeConnect,
            params: StageRequests.encode(StageRequests.AuthorizeConnect(token: token, connection: id))
        ).flatMapThrowing { answer in
            let principal = try StageRequests.decode(StageRequests.ConnectVerdict.self, from: answer).principal
            if self.counted.insert(id, user: principal.userID) {
                connection.ended.futureResult.whenComplete { _ in self.connectionEnded(id) }
            }
            return principal
        }
    }

    private func connectionEnded(_ id: String) {
        guard counted.remove(id) else { return }
        let closed = StageRequests.ConnectionsClosed(connections: [id])
        // Unanswered when the link is down: the reconnect's restatement leaves this connection out.
        _ = authorizer.request(method: StageRequests.connectionsClosed, params: StageRequests.encode(closed))
    }

    /// After every (re)connect to the authorizer: the open counted connections, which it forgot when the link
    /// dropped.
    func restateConnections() {
        let open = counted.all.map { StageRequests.CountedConnection(connection: $0.connection, user: $0.user) }
        guard !open.isEmpty else { return }
        logger.info("restating connections to the authorizer", metadata: ["herald.connections": "\(open.count)"])
        _ = authorizer.request(
            method: StageRequests.connectionsRestated,
            params: StageRequests.encode(StageRequests.ConnectionsRestated(connections: open)))
    }
}
