import CSystemd
import Glibc
import Synchronization

/// A daemon started the way systemd starts a socket-activated `Type=notify` service: listening sockets as
/// fds 3, 4, … with `LISTEN_FDS`, `LISTEN_FDNAMES` and `LISTEN_PID`, and `NOTIFY_SOCKET` for readiness.
/// `herald run` starts every stage this way, and so do the test fixtures.
///
/// The child gets exactly: stdin from `/dev/null`, stdout and stderr as given (or this process's), the
/// passed sockets at 3…, and nothing else — every other descriptor is closed in the child even when it lacks
/// `FD_CLOEXEC`. Signal dispositions and the signal mask are reset to defaults (the parent's ignored
/// `SIGPIPE` is not inherited).
///
/// `LISTEN_PID` (and `WATCHDOG_PID`) must name the child, whose pid is unknown until it exists; without
/// `fork` in a threaded Swift process the child is started as
/// `/bin/sh -c 'export LISTEN_PID=$$; exec "$0" "$@"' EXECUTABLE ARGUMENTS…`: the shell learns its own pid,
/// exports it, and replaces itself with the daemon, which keeps that pid, so `pid` is the daemon's pid.
/// Without sockets or a watchdog the executable is spawned directly.
public final class ActivatedProcess: Sendable {
    /// The child's process id (the daemon's, also when started through `/bin/sh`).
    public let pid: pid_t
    /// The executable that was started.
    public let executable: String

    private let state: Mutex<State>

    private enum State {
        case running(waiters: [CheckedContinuation<ExitStatus, Never>])
        case exited(ExitStatus)
    }

    /// Environment variables the supervisor owns; inherited values are dropped before its own are set.
    static let supervisorVariables: Set<String> = [
        "LISTEN_FDS", "LISTEN_FDNAMES", "LISTEN_PID", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
    ]

    private init(pid: pid_t, executable: String) {
        self.pid = pid
        self.executable = executable
        self.state = Mutex(.running(waiters: []))
    }

    /// Starts `executable` with `sockets` as its socket-activation descriptors.
    ///
    /// - Parameters:
    ///   - executable: A path, absolute or relative to the working directory; `PATH` is not searched.
    ///   - arguments: The arguments after the program name.
    ///   - sockets: Open descriptors and their `FileDescriptorName=`; the child gets them as 3, 4, … in this
    ///     order. The caller keeps its own descriptors (and may pass them again to a restarted child).
    ///   - notifySocketPath: The `NOTIFY_SOCKET` path, e.g. a `NotifyListener`'s `path`.
    ///   - watchdogInterval: Sets `WATCHDOG_USEC` and `WATCHDOG_PID`, as `WatchdogSec=` does.
    ///   - environment: The child's environment; nil inherits this process's. Either way the supervisor's
    ///     own variables (`LISTEN_*`, `NOTIFY_SOCKET`, `WATCHDOG_*`) are replaced.
    ///   - standardOutput: Descriptor for the child's stdout (e.g. a pipe's write end); nil shares ours.
    ///   - standardError: Descriptor for the child's stderr; nil shares ours.
    ///   - newProcessGroup: Puts the child in its own process group, so a terminal's Ctrl-C reaches only the
    ///     supervisor, which then stops its children in order.
    /// - Throws: `SystemdError` when an argument is invalid or the process cannot be started.
    public static func spawn(
        executable: String,
        arguments: [String] = [],
        sockets: [(name: String, fd: CInt)] = [],
        notifySocketPath: String? = nil,
        watchdogInterval: Duration? = nil,
        environment: [String: String]? = nil,
        standardOutput: CInt? = nil,
        standardError: CInt? = nil,
        newProcessGroup: Bool = false
    ) throws -> ActivatedProcess {
        try Self.validate(executable: executable, sockets: sockets)

        var variables = (environment ?? Self.currentEnvironment()).filter { !Self.supervisorVariables.contains($0.key) }
        var exportedPIDVariables: [String] = []
        if !sockets.isEmpty {
            variables["LISTEN_FDS"] = String(sockets.count)
            variables["LISTEN_FDNAMES"] = sockets.map(\.name).joined(separator: ":")
            exportedPIDVariables.append("LISTEN_PID")
        }
        if let notifySocketPath {
            variables["NOTIFY_SOCKET"] = notifySocketPath
        }
        if let watchdogInterval {
            variables["WATCHDOG_USEC"] = String(SystemdNotifier.microseconds(watchdogInterval))
            exportedPIDVariables.append("WATCHDOG_PID")
        }

        let argv: [String]
        if exportedPIDVariables.isEmpty {
            argv = [executable] + arguments
        } else {
            let assignments = exportedPIDVariables.map { "\($0)=$$" }.joined(separator: " ")
            argv = ["/bin/sh", "-c", "export \(assignments); exec \"$0\" \"$@\"", executable] + arguments
        }
        let envp = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }

        // Copies above every target number, so that no dup2 onto 3… overwrites a source still to be copied.
        let firstFree = 3 + CInt(sockets.count)
        var copies: [CInt] = []
        defer { copies.forEach { Glibc.close($0) } }
        func copy(_ fd: CInt, _ what: String) throws -> CInt {
            let duplicate = fcntl(fd, F_DUPFD_CLOEXEC, firstFree)
            guard duplicate >= 0 else {
                throw SystemdError.systemCall(
                    "fcntl(F_DUPFD_CLOEXEC)",
                    errno: errno,
                    doing: "preparing \(what) (fd \(fd)) for \(executable)",
                    advice: "pass a descriptor that is open in this process"
                )
            }
            copies.append(duplicate)
            return duplicate
        }
        let socketCopies = try sockets.map { try copy($0.fd, "socket '\($0.name)'") }
        let outputCopy = try standardOutput.map { try copy($0, "standard output") }
        let errorCopy = try standardError.map { try copy($0, "standard error") }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let outputCopy { posix_spawn_file_actions_adddup2(&actions, outputCopy, 1) }
        if let errorCopy { posix_spawn_file_actions_adddup2(&actions, errorCopy, 2) }
        for (index, source) in socketCopies.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, source, 3 + CInt(index))
        }
        herald_spawn_file_actions_addclosefrom(&actions, firstFree)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var flags = CInt(POSIX_SPAWN_SETSIGMASK) | CInt(POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            flags |= CInt(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var pid: pid_t = 0
        let result = withCStringArray(argv) { argvPointer in
            withCStringArray(envp) { envpPointer in
                posix_spawn(&pid, argv[0], &actions, &attributes, argvPointer, envpPointer)
            }
        }
        guard result == 0 else {
            throw SystemdError.spawn(
                executable,
                errno: result,
                advice: "check that \(argv[0]) exists and is executable, and that the process limit is not reached"
            )
        }

        let process = ActivatedProcess(pid: pid, executable: executable)
        do {
            try process.startReaper()
        } catch {
            kill(pid, SIGKILL)
            var word: CInt = 0
            while waitpid(pid, &word, 0) < 0 && errno == EINTR {}
            throw error
        }
        return process
    }

    /// The exit status, or nil while the process runs.
    public var exitStatus: ExitStatus? {
        self.state.withLock { state in
            if case .exited(let status) = state { return status }
            return nil
        }
    }

    /// Waits until the process has exited and returns how it ended.
    ///
    /// Not cancellable: to stop waiting early, make the process end with `signal(_:)`. If something else in
    /// this process reaps the child (a `waitpid(-1)` elsewhere, or `SIGCHLD` ignored), the status is
    /// reported as `.exited(-1)`.
    public func waitForExit() async -> ExitStatus {
        await withCheckedContinuation { continuation in
            let status: ExitStatus? = self.state.withLock { state in
                switch state {
                case .exited(let status):
                    return status
                case .running(var waiters):
                    waiters.append(continuation)
                    state = .running(waiters: waiters)
                    return nil
                }
            }
            if let status {
                continuation.resume(returning: status)
            }
        }
    }

    /// Sends `signal` (e.g. `SIGTERM`, `SIGHUP`, `SIGKILL`) to the process.
    ///
    /// The process is reaped under the same lock, so the signal can never reach an unrelated process that
    /// reused the pid.
    ///
    /// - Returns: false when the process had already exited.
    @discardableResult
    public func signal(_ signal: CInt) throws -> Bool {
        try self.state.withLock { state in
            guard case .running = state else { return false }
            guard kill(self.pid, signal) == 0 else {
                throw SystemdError.systemCall(
                    "kill",
                    errno: errno,
                    doing: "sending \(ExitStatus.signalName(signal)) to \(self.executable) (pid \(self.pid))",
                    advice: "check that this process may signal it"
                )
            }
            return true
        }
    }

    /// Starts the thread that waits for the child without reaping it, then reaps it under the lock.
    private func startReaper() throws {
        let pid = self.pid
        let thread = try BlockingThread.start { [self] in
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
            let (status, waiters) = self.state.withLock {
                state -> (ExitStatus, [CheckedContinuation<ExitStatus, Never>]) in
                var word: CInt = 0
                var reaped: pid_t
                repeat {
                    reaped = waitpid(pid, &word, 0)
                } while reaped < 0 && errno == EINTR
                let status = reaped == pid ? ExitStatus(waitStatus: word) : .exited(-1)
                guard case .running(let waiters) = state else { return (status, []) }
                state = .exited(status)
                return (status, waiters)
            }
            for waiter in waiters {
                waiter.resume(returning: status)
            }
        }
        thread.detach()
    }

    static func validate(executable: String, sockets: [(name: String, fd: CInt)]) throws {
        guard executable.contains("/") else {
            throw SystemdError.invalidArgument(
                "the executable '\(executable)' must be given as a path (./\(executable) or an absolute path); "
                    + "the supervisor does not search PATH"
            )
        }
        if access(executable, X_OK) != 0 {
            throw SystemdError.spawn(
                executable,
                errno: errno,
                advice: "check the path and that the file is executable (was it built?)"
            )
        }
        for socket in sockets {
            let valid =
                !socket.name.isEmpty && socket.name.utf8.count <= 255
                && socket.name.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && $0 != ":" && $0.value < 127 }
            guard valid else {
                throw SystemdError.invalidArgument(
                    "the socket name '\(socket.name)' is not a valid FileDescriptorName=: use 1 to 255 printable "
                        + "ASCII characters without ':' or spaces"
                )
            }
        }
    }

    /// This process's environment, read from `environ`.
    static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }
}

/// Calls `body` with a NULL-terminated array of C strings that lives for the duration of the call.
private func withCStringArray<Result>(
    _ strings: [String],
    _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result
) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
