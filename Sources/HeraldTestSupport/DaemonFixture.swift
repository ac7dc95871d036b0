import Foundation
import HeraldDaemonKit
import HeraldSystemd

/// Starts a real Herald daemon the way systemd does — sockets bound here and passed as `LISTEN_FDS`, a
/// private `NOTIFY_SOCKET` — and waits for its `READY=1`. Never a sleep.
public final class DaemonFixture: Sendable {
    public let stage: Stage
    public let directory: String
    public let runtime: RuntimeDirectory
    public let notify: NotifyListener
    public let process: ActivatedProcess
    /// The sockets handed over, by name (Unix paths for `input`/`admin`, TCP ports as `127.0.0.1:PORT`).
    public let addresses: [String: String]

    /// Where `swift build` put the executables: `$BIN_DIR`, or `.build/debug` of this package.
    public static var binDirectory: String {
        if let explicit = ProcessInfo.processInfo.environment["BIN_DIR"] { return explicit }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug").path
    }

    /// Binds `sockets` (default: every socket of the stage) and starts the stage's executable.
    public init(
        _ stage: Stage, sockets: [String]? = nil, arguments: [String] = [], environment: [String: String] = [:],
        readyTimeout: Duration = .seconds(30)
    ) async throws {
        self.stage = stage
        directory = NSTemporaryDirectory() + "herald-\(stage.rawValue)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        runtime = RuntimeDirectory(path: directory)
        var passed: [(name: String, fd: CInt)] = []
        var addresses: [String: String] = [:]
        for name in sockets ?? stage.allSockets {
            switch name {
            case "http", "websocket":
                let fd = try SocketBinder.bindTCP(host: "127.0.0.1", port: 0)
                addresses[name] = "127.0.0.1:\(try SocketBinder.boundPort(of: fd))"
                passed.append((name, fd))
            case "admin":
                addresses[name] = runtime.adminSocket(of: stage.rawValue)
                passed.append((name, try SocketBinder.bindUnix(path: addresses[name]!)))
            default:
                addresses[name] = runtime.inputSocket(of: stage.rawValue)
                passed.append((name, try SocketBinder.bindUnix(path: addresses[name]!)))
            }
        }
        self.addresses = addresses
        notify = try NotifyListener(path: directory + "/notify.sock")
        var childEnvironment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        childEnvironment["JOURNAL_STREAM"] = nil
        process = try ActivatedProcess.spawn(
            executable: Self.binDirectory + "/" + stage.executable,
            arguments: ["--runtime-dir", directory] + arguments, sockets: passed, notifySocketPath: notify.path,
            environment: childEnvironment)
        for socket in passed { close(socket.fd) }
        let pid = process.pid
        if readyTimeout > .zero {
            _ = try await notify.waitFor(timeout: readyTimeout) { $0.senderPID == pid && $0.contains(.ready) }
        }
    }

    /// SIGTERM, then waits for the exit.
    @discardableResult
    public func stop() async -> ExitStatus {
        _ = try? process.signal(SIGTERM)
        let status = await process.waitForExit()
        notify.close()
        try? FileManager.default.removeItem(atPath: directory)
        return status
    }
}
