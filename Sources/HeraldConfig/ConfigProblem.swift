/// One thing wrong (or worth a warning) in Herald's configuration, named by where it is.
///
/// `keyPath` is the dotted path of the offending key in the file (`limits.client_events_per_minute`,
/// `apps[0].secret`), or the environment variable or credential file that supplied the value
/// (`HERALD_LIMITS_CLIENT_EVENTS_PER_MINUTE`), so the reader knows exactly what to edit. It is empty only for
/// problems with the file as a whole (not YAML, not readable).
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    public var keyPath: String
    /// What is wrong and what is expected: `must be an integer >= 0 (got "ten")`.
    public var message: String
    /// The line of the configuration file the value sits on (1-based), when it came from the file.
    public var line: Int?

    public init(keyPath: String, message: String, line: Int? = nil) {
        self.keyPath = keyPath
        self.message = message
        self.line = line
    }

    /// `keyPath: message`, the form `heraldctl check-config` prints.
    public var description: String { keyPath.isEmpty ? message : "\(keyPath): \(message)" }
}
