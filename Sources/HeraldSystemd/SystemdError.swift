import Glibc

/// A failure in Herald's systemd integration: socket activation, readiness notification, logging or the
/// supervisor side used by `herald run`.
///
/// The message says what went wrong and what to do about it; `file` and `line` say where it was raised.
public struct SystemdError: Error, CustomStringConvertible, Sendable {
    private enum Code: Sendable {
        case listenFileDescriptors
        case missingSocket
        case ambiguousSocket
        case notify
        case systemCall
        case invalidArgument
        case spawn
        case timeout
        case closed
    }

    private let code: Code
    /// What went wrong and what to do about it.
    public let message: String
    /// The `errno` value behind the failure, when a system call failed.
    public let errno: CInt?
    /// The source file that raised the error.
    public let file: String
    /// The source line that raised the error.
    public let line: UInt

    private init(_ code: Code, _ message: String, errno: CInt? = nil, file: String, line: UInt) {
        self.code = code
        self.message = message
        self.errno = errno
        self.file = file
        self.line = line
    }

    public var description: String {
        "\(self.message) (\(self.file):\(self.line))"
    }

    /// True when the error reports that something did not happen within its time limit.
    public var isTimeout: Bool { self.code == .timeout }

    static func listenFileDescriptors(
        errno code: CInt,
        file: String = #fileID,
        line: UInt = #line
    ) -> SystemdError {
        SystemdError(
            .listenFileDescriptors,
            "could not read the sockets systemd passed (LISTEN_FDS/LISTEN_FDNAMES): \(errnoDescription(code)); "
                + "the unit's FileDescriptorName= entries must match the number of sockets, "
                + "or start the daemon by hand with --listen NAME=ADDRESS",
            errno: code,
            file: file,
            line: line
        )
    }

    static func missingSocket(
        _ name: String,
        passed: [String],
        file: String = #fileID,
        line: UInt = #line
    ) -> SystemdError {
        let what =
            passed.isEmpty
            ? "no sockets were passed (LISTEN_FDS is unset or empty)"
            : "the sockets passed are named \(passed.map { "'\($0)'" }.joined(separator: ", "))"
        return SystemdError(
            .missingSocket,
            "no socket named '\(name)' was passed: \(what); check FileDescriptorName= in the .socket unit, "
                + "or start by hand with --listen \(name)=ADDRESS",
            file: file,
            line: line
        )
    }

    static func ambiguousSocket(
        _ name: String,
        count: Int,
        file: String = #fileID,
        line: UInt = #line
    ) -> SystemdError {
        SystemdError(
            .ambiguousSocket,
            "\(count) sockets are named '\(name)' where one was expected; give each ListenStream= its own "
                + ".socket unit with a distinct FileDescriptorName=, or serve them all with take(\"\(name)\")",
            file: file,
            line: line
        )
    }

    static func notify(
        _ state: String,
        errno code: CInt,
        file: String = #fileID,
        line: UInt = #line
    ) -> SystemdError {
        let first = state.split(separator: "\n").first.map(String.init) ?? state
        return SystemdError(
            .notify,
            "could not send \(first) to the service manager at $NOTIFY_SOCKET: \(errnoDescription(code)); "
                + "check that the supervisor (systemd or herald run) is still running and owns that socket",
            errno: code,
            file: file,
            line: line
        )
    }

    static func systemCall(
        _ call: String,
        errno code: CInt,
        doing what: String,
        advice: String,
        file: String = #fileID,
        line: UInt = #line
    ) -> SystemdError {
        SystemdError(
            .systemCall,
            "\(what): \(call) failed: \(errnoDescription(code)); \(advice)",
            errno: code,
            file: file,
            line: line
        )
    }

    static func invalidArgument(_ message: String, file: String = #fileID, line: UInt = #line) -> SystemdError {
        SystemdError(.invalidArgument, message, file: file, line: line)
    }

    static func spawn(
        _ executable: String,
        errno code: CInt,
        advice: String,
        file: String = #fileID,
        line: UInt = #line
    ) -> SystemdError {
        SystemdError(
            .spawn,
            "could not start \(executable): \(errnoDescription(code)); \(advice)",
            errno: code,
            file: file,
            line: line
        )
    }

    static func timeout(_ message: String, file: String = #fileID, line: UInt = #line) -> SystemdError {
        SystemdError(.timeout, message, file: file, line: line)
    }

    static func closed(_ message: String, file: String = #fileID, line: UInt = #line) -> SystemdError {
        SystemdError(.closed, message, file: file, line: line)
    }
}

/// `strerror` text with the symbolic code, e.g. "Address already in use (errno 98)".
func errnoDescription(_ code: CInt) -> String {
    "\(String(cString: strerror(code))) (errno \(code))"
}
