import NIOCore
import Synchronization

/// A long-polling connection: its driver and the outlet its GETs drain. Confined to `connection.loop`.
final class PollingSession: @unchecked Sendable {
    let connection: EdgeConnection
    let driver: ConnectionDriver
    let outlet: PollingOutlet

    init(connection: EdgeConnection, driver: ConnectionDriver, outlet: PollingOutlet) {
        self.connection = connection
        self.driver = driver
        self.outlet = outlet
    }

    /// The session is over, on polling or after moving to WebSocket: leave every channel, give back the
    /// connection's place. On `connection.loop`.
    func end(_ runtime: EdgeRuntime) {
        runtime.polling.remove(connection.id)
        driver.released()
        connection.markEnded()
        guard connection.holdsPlace else { return }
        connection.holdsPlace = false
        runtime.registry.release(authenticated: connection.principal)
    }
}

/// The edge's long-polling sessions by id, shared by every loop (a session's requests may arrive on any
/// connection); touched once per request, never per delivery.
final class PollingSessions: Sendable {
    private let sessions = Mutex<[String: PollingSession]>([:])

    func insert(_ session: PollingSession) {
        sessions.withLock { $0[session.connection.id] = session }
    }

    func session(_ id: String) -> PollingSession? {
        sessions.withLock { $0[id] }
    }

    /// Forgets a session; returns it when it was still known (so only one caller moves it to WebSocket).
    @discardableResult
    func remove(_ id: String) -> PollingSession? {
        sessions.withLock { $0.removeValue(forKey: id) }
    }

    var count: Int { sessions.withLock { $0.count } }
}
