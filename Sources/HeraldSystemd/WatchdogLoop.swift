import Logging

/// Keeps systemd's watchdog (`WatchdogSec=`) fed, but only while the daemon is actually healthy.
///
/// Every half interval it runs a probe — typically `EventLoopProbe.roundTrip` on each event loop plus a
/// check of the daemon's queue — and sends `WATCHDOG=1` only when the probe succeeded. A daemon whose loop is
/// wedged therefore stops pinging, and systemd kills and restarts it. Probe failures are logged as warnings.
///
/// Run it as one more long-running task of the daemon (the daemon kit wraps it in a service); it returns
/// when its task is cancelled.
public struct WatchdogLoop: Sendable {
    /// The watchdog interval; nil when no watchdog is configured, in which case `run` returns at once.
    public let interval: Duration?
    private let notifier: SystemdNotifier
    private let logger: Logger

    /// - Parameters:
    ///   - interval: The watchdog interval; by default `notifier.watchdogInterval` (`$WATCHDOG_USEC`).
    ///   - notifier: Sends `WATCHDOG=1`.
    ///   - logger: Receives a warning for each failed probe and a notice when probing recovers.
    public init(interval: Duration? = nil, notifier: SystemdNotifier = SystemdNotifier(), logger: Logger) {
        self.interval = interval ?? notifier.watchdogInterval
        self.notifier = notifier
        self.logger = logger
    }

    /// Probes and pings until cancelled, sleeping on the continuous clock.
    ///
    /// - Throws: `SystemdError` when `WATCHDOG=1` cannot be sent to the service manager.
    public func run(probe: @Sendable () async throws -> Void) async throws {
        try await self.run(clock: ContinuousClock(), probe: probe)
    }

    /// Probes and pings until cancelled, sleeping half an interval on `clock` between rounds: probe first,
    /// then sleep, so the first ping goes out as soon as the daemon is healthy.
    ///
    /// - Throws: `SystemdError` when `WATCHDOG=1` cannot be sent to the service manager.
    public func run<C: Clock<Duration>>(clock: C, probe: @Sendable () async throws -> Void) async throws {
        guard let interval = self.interval, interval > .zero else {
            self.logger.debug("no watchdog configured; not probing")
            return
        }
        let period = interval / 2
        var failures = 0
        while !Task.isCancelled {
            let healthy: Bool
            do {
                try await probe()
                healthy = true
            } catch {
                if Task.isCancelled { return }
                healthy = false
                failures += 1
                self.logger.warning(
                    "watchdog probe failed; not pinging the watchdog",
                    error: error,
                    metadata: [
                        "herald.watchdog.failures": "\(failures)",
                        "herald.watchdog.interval": "\(interval)",
                    ]
                )
            }
            if healthy {
                if failures > 0 {
                    self.logger.notice(
                        "watchdog probe succeeded again",
                        metadata: ["herald.watchdog.failures": "\(failures)"]
                    )
                    failures = 0
                }
                try self.notifier.watchdog()
            }
            do {
                try await Task.sleep(for: period, clock: clock)
            } catch {
                return
            }
        }
    }
}
