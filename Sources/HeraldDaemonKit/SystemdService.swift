import HeraldSystemd
import Logging
import ServiceLifecycle

/// Keeps systemd informed while the stage runs: WATCHDOG=1 whenever the stage's probe round-trips,
/// STATUS= every few seconds, STOPPING=1 when graceful shutdown begins.
struct SystemdService: Service {
    let notifier: SystemdNotifier
    let service: any StageService
    let logger: Logger

    func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    try? await WatchdogLoop(notifier: notifier, logger: logger).run { try await service.probe() }
                }
                tasks.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(5))
                        _ = try? notifier.status(await service.statusLine())
                    }
                }
                await gracefulShutdownOrCancelled()
                tasks.cancelAll()
            }
        } onGracefulShutdown: {
            _ = try? notifier.stopping()
        }
    }

    private func gracefulShutdownOrCancelled() async {
        try? await gracefulShutdown()
    }
}
