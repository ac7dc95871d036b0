import HeraldConfig
import HeraldSystemd
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on SIGHUP (`systemctl reload`, `heraldctl reload`). A configuration with
/// problems is reported and ignored: the stage keeps the one it has.
struct ReloadService: Service {
    let source: ConfigurationSource
    let service: any StageService
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            _ = try? notifier.reloading()
            do {
                let configuration = try source.load()
                await service.reload(configuration)
                logger.info(
                    "configuration reloaded", metadata: ["herald.config": "\(source.path ?? "embedded default")"])
            } catch let error as ConfigurationError {
                for problem in error.problems {
                    logger.error("reload refused: \(problem.keyPath): \(problem.message)")
                }
            } catch {
                logger.error("reload refused: \(error)")
            }
            _ = try? notifier.ready()
        }
    }
}
