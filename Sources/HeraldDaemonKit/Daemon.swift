import Foundation
import HeraldAdmin
import HeraldConfig
import HeraldModel
import HeraldSystemd
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Runs one stage as a daemon: options, logging, configuration, sockets, the stage service, its admin
/// socket and the systemd protocol (READY=1 after every listener serves, STATUS=, WATCHDOG=1 from a
/// probe, STOPPING=1, reload on SIGHUP), all as services of one `ServiceGroup`.
public enum Daemon {
    /// `EX_CONFIG`: systemd units list it in `RestartPreventExitStatus=`, since restarting will not help.
    public static let configurationExitCode: Int32 = 78
    public static let startupExitCode: Int32 = 71

    public static func main(
        stage: Stage, arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        makeService: @Sendable (DaemonEnvironment) async throws -> any StageService
    ) async -> Never {
        let options = DaemonOptions.parseOrExit(arguments)
        HeraldLogging.bootstrap(stage: stage.rawValue, identifier: stage.executable)
        var logger = Logger(label: stage.executable)
        let instance = options.instance ?? "\(stage.rawValue)-\(getpid())"
        logger[metadataKey: "herald.instance"] = "\(instance)"

        let environment = ProcessInfo.processInfo.environment
        let source = ConfigurationSource(path: options.config ?? environment["HERALD_CONFIG"])
        let configuration: HeraldConfiguration
        do {
            configuration = try source.load()
        } catch {
            report(error, logger: logger)
            exit(configurationExitCode)
        }
        for warning in configuration.warnings where options.configWarnings {
            logger.warning("configuration: \(warning.keyPath): \(warning.message)")
        }
        let runtime = RuntimeDirectory(explicit: options.runtimeDirectory, environment: environment)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let notifier = SystemdNotifier()
        do {
            let listeners = try StageListeners.resolve(
                stage: stage, options: options, configuration: configuration, runtime: runtime,
                environment: environment)
            let context = DaemonEnvironment(
                stage: stage, instance: instance, configuration: configuration, runtime: runtime,
                listeners: listeners, group: group, logger: logger)
            let service = try await makeService(context)
            let started = ContinuousClock.now
            var router = AdminRouter()
            registerCommonMethods(into: &router, stage: stage, instance: instance, started: started, service: service)
            service.registerAdminMethods(into: &router)
            let admin = try await AdminServer.start(
                boundSocket: context.listener("admin"), group: group, router: router, logger: logger)

            _ = try? notifier.ready()
            _ = try? notifier.status(await service.statusLine())
            logger.info(
                "\(stage.executable) is serving",
                metadata: ["herald.sockets": "\(stage.allSockets.joined(separator: ","))"])

            let services = ServiceGroup(
                configuration: .init(
                    services: [
                        .init(service: service),
                        .init(service: SystemdService(notifier: notifier, service: service, logger: logger)),
                        .init(
                            service: ReloadService(
                                source: source, service: service,
                                notifier: notifier, logger: logger)),
                    ],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                ))
            try await services.run()
            await admin.close()
            logger.info("\(stage.executable) stopped")
            exit(0)
        } catch {
            report(error, logger: logger)
            exit(startupExitCode)
        }
    }

    private static func registerCommonMethods(
        into router: inout AdminRouter, stage: Stage, instance: String, started: ContinuousClock.Instant,
        service: any StageService
    ) {
        router.register("info") { _ in
            let uptime = ContinuousClock.now - started
            return [
                "stage": .string(stage.rawValue), "instance": .string(instance), "pid": .int(Int64(getpid())),
                "state": "running", "uptime_s": .int(uptime.components.seconds),
                "version": .string(HeraldVersion.current),
                "status": .string(await service.statusLine()),
            ]
        }
        router.register("health") { _ in await service.health() }
        router.register("stats") { _ in await service.stats() }
        router.register("reload") { _ in
            kill(getpid(), SIGHUP)
            return ["reloading": true]
        }
    }

    private static func report(_ error: any Error, logger: Logger) {
        if let error = error as? ConfigurationError {
            for problem in error.problems {
                logger.critical("configuration: \(problem.keyPath): \(problem.message)")
            }
        } else {
            logger.critical("cannot start: \(error)")
        }
    }
}

/// The version every daemon reports.
public enum HeraldVersion {
    public static let current = "0.1.0"
}
