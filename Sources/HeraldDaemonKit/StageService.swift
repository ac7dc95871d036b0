import HeraldAdmin
import HeraldConfig
import ServiceLifecycle

/// What each stage gives the daemon runtime. `run()` serves until graceful shutdown; everything else is
/// read by the admin socket, systemd's STATUS= line and the watchdog.
public protocol StageService: Service {
    /// One line for systemd's `STATUS=` and `heraldctl status`.
    func statusLine() async -> String
    /// The stage's counters for `heraldctl stats` and `/metrics`.
    func stats() async -> AdminValue
    /// The stage's own view of its health (its links, its queues).
    func health() async -> AdminValue
    /// Extra admin methods beyond `info`, `health` and `stats`.
    func registerAdminMethods(into router: inout AdminRouter)
    /// A new configuration after SIGHUP; already validated.
    func reload(_ configuration: HeraldConfiguration) async
    /// Round-trips the stage's event loop and queue; the watchdog is only fed when this succeeds.
    func probe() async throws
}

extension StageService {
    public func health() async -> AdminValue { ["status": "ok"] }
    public func registerAdminMethods(into router: inout AdminRouter) {}
    public func reload(_ configuration: HeraldConfiguration) async {}
}
