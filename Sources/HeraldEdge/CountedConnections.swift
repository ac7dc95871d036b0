import Synchronization

/// The edge's connections that the authorizer counts for `limits.connections_per_user` (their
/// `authorize-connect` named them and was allowed), by connection id, with their user: what the edge tells the
/// authorizer when one ends, and restates after reconnecting to it. Shared by every loop, so it holds a lock;
/// touched once per authentication and close.
final class CountedConnections: Sendable {
    private let users = Mutex<[String: String]>([:])

    /// Records `connection` as counted for `user`; true when it was not counted before.
    func insert(_ connection: String, user: String) -> Bool {
        users.withLock { $0.updateValue(user, forKey: connection) == nil }
    }

    /// Forgets `connection`; true when it was counted.
    func remove(_ connection: String) -> Bool {
        users.withLock { $0.removeValue(forKey: connection) != nil }
    }

    /// Every counted connection, for a restatement.
    var all: [(connection: String, user: String)] {
        users.withLock { $0.map { ($0.key, $0.value) } }
    }
}
