import CSystemd
import Glibc

/// How a spawned process ended.
public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    /// The process called `exit` with this code.
    case exited(CInt)
    /// The process was killed by this signal.
    case signaled(CInt)

    /// Decodes a `waitpid` status word.
    public init(waitStatus status: CInt) {
        if herald_wifsignaled(status) != 0 {
            self = .signaled(herald_wtermsig(status))
        } else {
            self = .exited(herald_wexitstatus(status))
        }
    }

    /// True for `exit(0)`.
    public var isSuccess: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let code):
            return "exited with status \(code)"
        case .signaled(let signal):
            return "killed by \(Self.signalName(signal))"
        }
    }

    /// "SIGKILL" for 9, and so on for the signals a daemon meets; "signal N" for the rest.
    static func signalName(_ signal: CInt) -> String {
        let names: [CInt: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
            SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
        ]
        return names[signal] ?? "signal \(signal)"
    }
}
