import Logging

extension Logger.Level {
    /// The syslog priority journald and the sd-daemon `<N>` prefix use: 2 critical (`LOG_CRIT`), 3 error,
    /// 4 warning, 5 notice, 6 info, 7 debug (trace too, as syslog has nothing finer).
    public var syslogPriority: Int {
        switch self {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
