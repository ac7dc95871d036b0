import Glibc
import Logging

/// Sets up swift-log for a Herald executable: journald when standard error is the journal, `<N>`-prefixed
/// lines on standard error otherwise, at the level `$HERALD_LOG_LEVEL` names.
public enum HeraldLogging {
    /// Where log records go.
    public enum Destination: Sendable, Equatable {
        /// Structured entries through `sd_journal_sendv`.
        case journald
        /// Lines on standard error.
        case standardError
    }

    /// The level used when `$HERALD_LOG_LEVEL` is unset.
    public static let defaultLevel: Logger.Level = .info

    /// Bootstraps `LoggingSystem` once for this process; call it first thing in `main`.
    ///
    /// - Parameters:
    ///   - stage: The pipeline stage, `HERALD_STAGE` in journald (`ingress`, `authorizer`, …).
    ///   - identifier: The executable's name, journald's `SYSLOG_IDENTIFIER` (`herald-ingress`).
    ///   - metadataProvider: Adds metadata to every record (task-local request ids, say).
    /// - Returns: Where records go, for a startup log line.
    @discardableResult
    public static func bootstrap(
        stage: String,
        identifier: String,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> Destination {
        let destination = Self.destination(journalStream: Self.environment("JOURNAL_STREAM"))
        let levelText = Self.environment("HERALD_LOG_LEVEL")
        let level = Self.level(from: levelText) ?? Self.defaultLevel
        LoggingSystem.bootstrap(
            { label, provider in
                Self.makeHandler(
                    label: label,
                    stage: stage,
                    identifier: identifier,
                    destination: destination,
                    level: level,
                    metadataProvider: provider
                )
            }, metadataProvider: metadataProvider)
        if let levelText, Self.level(from: levelText) == nil {
            Logger(label: "herald.logging").warning(
                "HERALD_LOG_LEVEL is not a level; use trace, debug, info, notice, warning, error or critical",
                metadata: ["herald.log.level": "\(levelText)", "herald.log.level.used": "\(level)"]
            )
        }
        return destination
    }

    /// A handler for `destination`, as `bootstrap` installs it.
    public static func makeHandler(
        label: String,
        stage: String,
        identifier: String,
        destination: Destination,
        level: Logger.Level = defaultLevel,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> any LogHandler {
        switch destination {
        case .journald:
            var handler = JournaldLogHandler(
                label: label,
                stage: stage,
                identifier: identifier,
                metadataProvider: metadataProvider
            )
            handler.logLevel = level
            return handler
        case .standardError:
            var handler = StderrLogHandler(label: label, metadataProvider: metadataProvider)
            handler.logLevel = level
            return handler
        }
    }

    /// `.journald` when `journalStream` (the value of `$JOURNAL_STREAM`, `DEVICE:INODE`) names the file that
    /// `standardError` is, which is how systemd says a service's stderr is connected to the journal; a
    /// child whose stderr was redirected elsewhere inherits the variable but not the match.
    public static func destination(journalStream: String?, standardError: CInt = STDERR_FILENO) -> Destination {
        guard let journalStream else { return .standardError }
        let parts = journalStream.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else {
            return .standardError
        }
        var status = stat()
        guard fstat(standardError, &status) == 0 else { return .standardError }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode ? .journald : .standardError
    }

    /// The level a name stands for, case-insensitively (`trace` … `critical`, and `warn`); nil otherwise.
    public static func level(from text: String?) -> Logger.Level? {
        guard let text else { return nil }
        let name = text.lowercased()
        return name == "warn" ? .warning : Logger.Level(rawValue: name)
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
