import HeraldDaemonKit
import NIOCore
import Synchronization

/// `limits.connection_attempts_per_ip_per_minute`: a token bucket per client IP address, shared by every event
/// loop of the edge (so it holds a lock; it is touched once per new connection, never per message). A WebSocket
/// upgrade and a long-polling handshake are attempts; the later requests of a polling session, and its upgrade
/// to WebSocket, are not. Clients without an IP address (a Unix socket) are not limited.
final class ConnectionAttempts: Sendable {
    private let windows: Mutex<KeyedRateWindows<String>>
    private let now: @Sendable () -> NIODeadline

    init(limit: Int, now: @escaping @Sendable () -> NIODeadline = { .now() }) {
        self.windows = Mutex(KeyedRateWindows(limit: limit, per: .minutes(1)))
        self.now = now
    }

    /// Counts an attempt from `address` under `limit` (the current setting; 0 = unlimited). Nil when admitted;
    /// otherwise the refusal to answer with, carrying how long until the next attempt is admitted.
    func admit(from address: SocketAddress?, limit: Int) -> UpgradeRefusal? {
        guard limit > 0, let ip = address?.ipAddress else { return nil }
        let now = now()
        let wait = windows.withLock { windows -> TimeAmount? in
            windows.change(limit: limit)
            return windows.admit(ip, now: now)
        }
        guard let wait else { return nil }
        var refusal = UpgradeRefusal(
            .rateLimitExceeded,
            "too many connection attempts from \(ip): limits.connection_attempts_per_ip_per_minute is \(limit); "
                + "retry in \(wait.retryAfterSeconds) s")
        refusal.retryAfterSeconds = wait.retryAfterSeconds
        return refusal
    }
}
