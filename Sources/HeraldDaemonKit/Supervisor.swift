import Foundation
import HeraldConfig
import HeraldSystemd
import Synchronization
import UnixSignals

/// `herald run`: plays systemd for a machine without it. Binds every stage's sockets itself, starts the
/// four daemons with `LISTEN_FDS`/`LISTEN_FDNAMES`/`LISTEN_PID` and its own `NOTIFY_SOCKET` exactly as
/// the units do, waits for each `READY=1`, restarts a stage that dies (its sockets stay open here, so
/// clients wait in the backlog), prefixes every log line with its stage, and stops everything on
/// Ctrl-C or SIGTERM.
public final class Supervisor: Sendable {
    public struct Options: Sendable {
        public var configPath: String?
        public var runtime: RuntimeDirectory
        /// Where the stage executables are (default: next to `herald`).
        public var binDirectory: String
        public var readyTimeout: Duration = .seconds(30)
        public var stopTimeout: Duration = .seconds(10)

        public init(configPath: String?, runtime: RuntimeDirectory, binDirectory: String) {
            self.configPath = configPath
            self.runtime = runtime
            self.binDirectory = binDirectory
        }
    }

    /// Downstream first, so each stage finds the next one listening.
    static let startOrder: [Stage] = [.batcher, .authorizer, .wsEdge, .ingress]
    /// Upstream first, in the direction events flow: the batcher flushes its windows to edges that are still
    /// up, and the edges close their clients last.
    static let stopOrder: [Stage] = [.ingress, .authorizer, .batcher, .wsEdge]

    let options: Options
    private let running = Mutex<[Stage: ActivatedProcess]>([:])
    private let stopping = Atomic<Bool>(false)

    public init(options: Options) { self.options = options }

    /// Runs until a signal stops it; returns the process exit status.
    public func run() async -> Int32 {
        let configuration: HeraldConfiguration
        do {
            configuration = try ConfigurationSource(path: options.configPath).load()
        } catch let error as ConfigurationError {
            for problem in error.problems { say("configuration: \(problem.keyPath): \(problem.message)") }
            return Daemon.configurationExitCode
        } catch {
            say("cannot read the configuration: \(error)")
            return Daemon.configurationExitCode
        }
        for warning in configuration.warnings { say("warning: \(warning.keyPath): \(warning.message)") }

        do {
            try FileManager.default.createDirectory(atPath: options.runtime.path, withIntermediateDirectories: true)
            let sockets = try bindSockets(configuration)
            let notify = try NotifyListener(path: options.runtime.path + "/notify.sock")
            defer { notify.close() }
            let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)

            for stage in Self.startOrder {
                let relay = try StageLogRelay(stage: stage)
                try await start(stage, sockets: sockets[stage]!, relay: relay, notify: notify)
                Task { await self.supervise(stage, sockets: sockets[stage]!, relay: relay, notify: notify) }
            }
            say(
                "Herald is running: publish to http://\(configuration.ingress.listen), "
                    + "clients connect to ws://\(configuration.edge.listen) at /ws (native), /socket.io/ (Socket.IO) "
                    + "and /app/{key} (Pusher), "
                    + "admin sockets in \(options.runtime.path) (heraldctl --runtime-dir \(options.runtime.path) status)"
            )

            for await signal in signals {
                say("received \(signal); stopping every stage")
                break
            }
            await stopAll()
            return 0
        } catch {
            say("cannot start: \(error)")
            await stopAll()
            return Daemon.startupExitCode
        }
    }

    private func bindSockets(_ configuration: HeraldConfiguration) throws -> [Stage: [(name: String, fd: CInt)]] {
        var sockets: [Stage: [(name: String, fd: CInt)]] = [:]
        for stage in Stage.allCases {
            sockets[stage] = try stage.allSockets.map { name in
                let address = StageListeners.defaultAddress(of: name, stage: stage, configuration, options.runtime)
                do {
                    return (name, try StageListeners.bind(address, name: name))
                } catch {
                    throw RunError("cannot bind \(stage.rawValue)'s \(name) socket at \(address): \(error)")
                }
            }
        }
        return sockets
    }

    private func start(
        _ stage: Stage, sockets: [(name: String, fd: CInt)], relay: StageLogRelay, notify: NotifyListener
    ) async throws {
        var arguments = ["--runtime-dir", options.runtime.path, "--no-config-warnings"]
        if let configPath = options.configPath { arguments += ["--config", configPath] }
        let process = try ActivatedProcess.spawn(
            executable: options.binDirectory + "/" + stage.executable, arguments: arguments, sockets: sockets,
            notifySocketPath: notify.path, standardOutput: relay.writeEnd, standardError: relay.writeEnd,
            newProcessGroup: true)
        running.withLock { $0[stage] = process }
        let pid = process.pid
        do {
            _ = try await notify.waitFor(timeout: options.readyTimeout) { datagram in
                (datagram.senderPID == pid || datagram.mainPID == pid) && datagram.contains(.ready)
            }
        } catch {
            if let status = process.exitStatus {
                throw RunError("\(stage.executable) exited during startup (\(status)); see its log lines above")
            }
            throw RunError("\(stage.executable) did not report READY=1 within \(options.readyTimeout)")
        }
        say("\(stage.executable) is ready (pid \(pid))")
    }

    /// Waits for the stage to exit and starts it again, with backoff, until `herald run` stops.
    private func supervise(
        _ stage: Stage, sockets: [(name: String, fd: CInt)], relay: StageLogRelay, notify: NotifyListener
    ) async {
        var policy = RestartPolicy()
        while true {
            guard let process = running.withLock({ $0[stage] }) else { return }
            let started = ContinuousClock.now
            let status = await process.waitForExit()
            if stopping.load(ordering: .acquiring) { return }
            let delay = policy.exited(after: ContinuousClock.now - started)
            say("\(stage.executable) exited (\(status)); restarting in \(delay)")
            try? await Task.sleep(for: delay)
            if stopping.load(ordering: .acquiring) { return }
            do {
                try await start(stage, sockets: sockets, relay: relay, notify: notify)
            } catch {
                say("restarting \(stage.executable) failed: \(error)")
            }
        }
    }

    /// SIGTERM to every stage, upstream first (`stopOrder`); SIGKILL to any still running after the stop timeout.
    private func stopAll() async {
        stopping.store(true, ordering: .releasing)
        for stage in Self.stopOrder {
            guard let process = running.withLock({ $0[stage] }) else { continue }
            _ = try? process.signal(SIGTERM)
            let exited = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    _ = await process.waitForExit()
                    return true
                }
                group.addTask {
                    try? await Task.sleep(for: self.options.stopTimeout)
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                if !first { _ = try? process.signal(SIGKILL) }
                await group.waitForAll()
                return first
            }
            say("\(stage.executable) stopped\(exited ? "" : " (killed after \(options.stopTimeout))")")
        }
    }

    private func say(_ message: String) {
        let line = "herald     | " + message + "\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
}
