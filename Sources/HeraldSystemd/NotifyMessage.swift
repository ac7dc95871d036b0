import Glibc

/// One `KEY=VALUE` assignment of the sd_notify protocol, as a supervisor reads it.
public enum NotifyMessage: Sendable, Equatable, CustomStringConvertible {
    /// `READY=1`: startup finished, or a reload finished.
    case ready
    /// `STATUS=…`: a one-line summary.
    case status(String)
    /// `STOPPING=1`: shutdown began.
    case stopping
    /// `RELOADING=1`: a reload began.
    case reloading
    /// `WATCHDOG=1`: the sender is alive.
    case watchdog
    /// `MAINPID=…`: the pid to treat as the service's main process.
    case mainPID(pid_t)
    /// Any other assignment (`MONOTONIC_USEC=`, `ERRNO=`, `WATCHDOG=trigger`, `READY=0`, …), kept verbatim.
    case other(key: String, value: String)

    /// Parses one line. A line without `=` becomes `.other(key: line, value: "")`.
    public init(line: Substring) {
        guard let equals = line.firstIndex(of: "=") else {
            self = .other(key: String(line), value: "")
            return
        }
        let key = line[..<equals]
        let value = line[line.index(after: equals)...]
        switch (key, value) {
        case ("READY", "1"): self = .ready
        case ("STOPPING", "1"): self = .stopping
        case ("RELOADING", "1"): self = .reloading
        case ("WATCHDOG", "1"): self = .watchdog
        case ("STATUS", _): self = .status(String(value))
        case ("MAINPID", _):
            if let pid = pid_t(value), pid > 0 {
                self = .mainPID(pid)
            } else {
                self = .other(key: String(key), value: String(value))
            }
        default: self = .other(key: String(key), value: String(value))
        }
    }

    /// Parses a whole datagram: newline-separated assignments, empty lines skipped.
    public static func parse(_ text: String) -> [NotifyMessage] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map { NotifyMessage(line: $0) }
    }

    /// The assignment as it appears on the wire.
    public var description: String {
        switch self {
        case .ready: "READY=1"
        case .status(let text): "STATUS=\(text)"
        case .stopping: "STOPPING=1"
        case .reloading: "RELOADING=1"
        case .watchdog: "WATCHDOG=1"
        case .mainPID(let pid): "MAINPID=\(pid)"
        case .other(let key, let value): "\(key)=\(value)"
        }
    }
}
