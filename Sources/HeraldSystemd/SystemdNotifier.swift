import CSystemd
import Glibc

/// Tells the service manager (systemd, or `herald run` playing it) how this daemon is doing, through the
/// datagram socket named by `$NOTIFY_SOCKET`.
///
/// Every method does nothing and returns `false` when `$NOTIFY_SOCKET` is unset (started by hand), so a
/// daemon calls them unconditionally. The environment is read at each call, not cached.
public struct SystemdNotifier: Sendable {
    public init() {}

    /// True when a service manager is listening: `$NOTIFY_SOCKET` is set.
    public var isEnabled: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// How often the service manager expects `WATCHDOG=1` (`WatchdogSec=`), or nil when it does not.
    ///
    /// Read from `$WATCHDOG_USEC`, which only counts when `$WATCHDOG_PID` is unset or names this process.
    /// Send `watchdog()` at least twice per interval.
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else {
            return nil
        }
        return .microseconds(Int64(clamping: microseconds))
    }

    /// `READY=1`: startup is complete and the listeners are serving.
    @discardableResult
    public func ready() throws -> Bool {
        try self.send("READY=1")
    }

    /// `STATUS=…`: a one-line summary shown by `systemctl status`. Newlines are replaced by spaces.
    @discardableResult
    public func status(_ text: String) throws -> Bool {
        let line = String(text.map { $0.isNewline ? " " : $0 })
        return try self.send("STATUS=\(line)")
    }

    /// `STOPPING=1`: shutdown has begun (sent on SIGTERM, before draining).
    @discardableResult
    public func stopping() throws -> Bool {
        try self.send("STOPPING=1")
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=`: a configuration reload has begun. Send `ready()` when it is done.
    ///
    /// systemd 253 and later (`Type=notify-reload`) require the monotonic timestamp to match the reload to
    /// its request; older versions ignore it.
    @discardableResult
    public func reloading() throws -> Bool {
        try self.send("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
    }

    /// `WATCHDOG=1`: the daemon is alive. Send only after a health probe succeeded.
    @discardableResult
    public func watchdog() throws -> Bool {
        try self.send("WATCHDOG=1")
    }

    /// `MAINPID=…`: the process the service manager should treat as the service's main process.
    @discardableResult
    public func mainPID(_ pid: pid_t) throws -> Bool {
        try self.send("MAINPID=\(pid)")
    }

    /// `EXTEND_TIMEOUT_USEC=…`: asks for more time to finish starting, reloading or stopping.
    @discardableResult
    public func extendTimeout(by duration: Duration) throws -> Bool {
        try self.send("EXTEND_TIMEOUT_USEC=\(Self.microseconds(duration))")
    }

    /// Sends `state` (newline-separated `KEY=VALUE` assignments) as one datagram.
    ///
    /// - Returns: `true` when sent, `false` when `$NOTIFY_SOCKET` is unset.
    /// - Throws: `SystemdError` when the socket exists but the datagram could not be sent.
    @discardableResult
    public func send(_ state: String) throws -> Bool {
        let result = sd_notify(0, state)
        if result < 0 {
            throw SystemdError.notify(state, errno: -result)
        }
        return result > 0
    }

    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }
}
