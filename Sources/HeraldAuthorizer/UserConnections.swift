/// `limits.connections_per_user`, counted across every edge: each edge's authenticated connections and whose
/// they are. Pure; the authorizer keeps one on its loop. An edge's connections are forgotten when its link
/// drops, and restated by the edge when it reconnects.
public struct UserConnections<Peer: Hashable & Sendable>: Sendable {
    /// 0 = unlimited (connections are still counted, so a reload that sets a limit applies at once).
    public private(set) var limit: Int
    private var byPeer: [Peer: [String: String]] = [:]
    private var perUser: [String: Int] = [:]

    public init(limit: Int) {
        self.limit = limit
    }

    /// How many connections `user` holds across every edge.
    public func count(of user: String) -> Int { perUser[user] ?? 0 }

    /// Counts `connection` of `user` on `peer`; false, counting nothing, when the user holds `limit` already.
    /// A connection counted already for the same user (a token refresh) is admitted again without counting.
    public mutating func open(_ connection: String, user: String, on peer: Peer) -> Bool {
        if let holder = byPeer[peer]?[connection] {
            if holder == user { return true }
            close(connection, on: peer)
        }
        guard limit == 0 || count(of: user) < limit else { return false }
        add(connection, user: user, on: peer)
        return true
    }

    /// Forgets an ended connection; unknown ones are ignored.
    public mutating func close(_ connection: String, on peer: Peer) {
        guard let user = byPeer[peer]?.removeValue(forKey: connection) else { return }
        if byPeer[peer]?.isEmpty == true { byPeer[peer] = nil }
        let remaining = count(of: user) - 1
        perUser[user] = remaining > 0 ? remaining : nil
    }

    /// An edge's open connections after it reconnected: counted whatever the limit, since they are open.
    public mutating func restate(_ connections: [(connection: String, user: String)], on peer: Peer) {
        for (connection, user) in connections where byPeer[peer]?[connection] != user {
            close(connection, on: peer)
            add(connection, user: user, on: peer)
        }
    }

    /// An edge's link dropped: its connections are no longer known to be open.
    public mutating func peerLeft(_ peer: Peer) {
        for connection in byPeer[peer]?.keys.map({ $0 }) ?? [] { close(connection, on: peer) }
    }

    /// A new limit (after a reload); connections over it stay open, new ones wait until the user is under it.
    public mutating func change(limit: Int) {
        self.limit = limit
    }

    private mutating func add(_ connection: String, user: String, on peer: Peer) {
        byPeer[peer, default: [:]][connection] = user
        perUser[user, default: 0] += 1
    }
}
