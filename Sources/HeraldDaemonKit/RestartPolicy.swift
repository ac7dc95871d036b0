/// How `herald run` restarts a stage that died: quickly at first, backing off while it keeps dying, and
/// quickly again once it has stayed up for a while.
struct RestartPolicy: Sendable, Equatable {
    var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
    /// A run at least this long resets the backoff.
    var stableAfter: Duration = .seconds(30)
    private(set) var recentFailures = 0

    /// Records an exit after `uptime` and returns how long to wait before starting again.
    mutating func exited(after uptime: Duration) -> Duration {
        recentFailures = uptime >= stableAfter ? 1 : recentFailures + 1
        return backoff.delay(afterFailures: recentFailures)
    }
}
