import HeraldModel
import Synchronization

/// Counts the edge's connections for `limits.connections_per_edge` and for statistics. Shared by every event
/// loop, so it holds a lock; it is touched once per connect, authentication and close, never per message.
public final class ConnectionRegistry: Sendable {
    public struct Snapshot: Sendable, Hashable {
        /// Connections holding a place: upgrading, waiting for a token, or open.
        public var total = 0
        public var authenticated = 0
        /// Authenticated connections per role (a connection with several roles counts under each).
        public var byRole: [String: Int] = [:]
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Takes a place for a new connection unless `limit` (0 = none) are taken already.
    public func reserve(limit: Int) -> Bool {
        state.withLock { state in
            guard limit == 0 || state.total < limit else { return false }
            state.total += 1
            return true
        }
    }

    public func authenticated(_ principal: Principal) {
        state.withLock { state in
            state.authenticated += 1
            for role in principal.roles { state.byRole[role, default: 0] += 1 }
        }
    }

    /// Gives back a place; `principal` is the one counted by `authenticated(_:)`, if any.
    public func release(authenticated principal: Principal?) {
        state.withLock { state in
            state.total -= 1
            guard let principal else { return }
            state.authenticated -= 1
            for role in principal.roles {
                let count = (state.byRole[role] ?? 1) - 1
                state.byRole[role] = count > 0 ? count : nil
            }
        }
    }
}
