import HeraldModel
import HeraldWire
import NIOCore

extension SessionCore {
    /// `refresh {id, token}`: the authorizer checks the new token (through `authorizeConnect`, whose verdict
    /// comes back to `connectVerdict` while the connection is open); one refresh at a time.
    mutating func refresh(id: CommandID, token: String) -> [SessionAction] {
        guard principal != nil else {
            return [.send(.refused(id: id, code: .invalidPayload, message: "this connection has no token to refresh"))]
        }
        guard pendingRefreshID == nil else {
            return [.send(.refused(id: id, code: .rateLimitExceeded, message: "wait for the previous refresh's ack"))]
        }
        pendingRefreshID = id
        return [.authorizeConnect(token: Self.bareToken(token))]
    }

    /// A refreshed token must name the same user; it then replaces the principal and its expiry. A refused
    /// one leaves the connection on its current token, which still expires as before.
    mutating func refreshVerdict(id: CommandID, _ verdict: Result<Principal, WireFailure>, serverTime: Int64)
        -> [SessionAction]
    {
        pendingRefreshID = nil
        switch verdict {
        case .success(let fresh) where fresh.userID == principal?.userID:
            setPrincipal(fresh, serverTime: serverTime)
            return [.principalChanged(fresh), .send(.ack(id: id, result: .refreshed(expiresAt: fresh.expiresAt)))]
        case .success:
            return [
                .send(
                    .refused(
                        id: id, code: .authenticationFailed,
                        message: "the new token names another user; reconnect to change users"))
            ]
        case .failure(let failure):
            return [.send(.refused(id: id, code: failure.errorCode ?? .internal, message: failure.message))]
        }
    }
}
