import CSystemd
import Glibc
import Logging

/// Writes log records to journald as structured entries through `sd_journal_sendv`.
///
/// Each entry carries `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER` (the executable, e.g. `herald-ingress`),
/// `CODE_FILE`/`CODE_LINE`/`CODE_FUNC`, `HERALD_STAGE`, `HERALD_LOGGER` (the logger's label), and every
/// metadata key as a field named by `JournaldFieldName` (`herald.event.id` → `HERALD_EVENT_ID`), so
/// `journalctl HERALD_CHANNEL=thread.456` finds what happened on a channel.
///
/// `sd_journal_sendv` reports success even when no journald listens, so choose this handler only when
/// journald is known to be there (`HeraldLogging.bootstrap` checks `$JOURNAL_STREAM`).
public struct JournaldLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// The logger's label, sent as `HERALD_LOGGER`.
    public let label: String
    /// The pipeline stage (`ingress`, `authorizer`, `batcher`, `ws-edge`), sent as `HERALD_STAGE`.
    public let stage: String
    /// The executable's name, sent as `SYSLOG_IDENTIFIER`.
    public let identifier: String

    public init(
        label: String,
        stage: String,
        identifier: String,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.stage = stage
        self.identifier = identifier
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = LogRecordMetadata.merge(handler: self.metadata, provider: self.metadataProvider, event: event)
        Self.send(self.fields(for: event, metadata: merged))
    }

    /// The `KEY=value` fields of one entry, in the order they are sent.
    func fields(for event: LogEvent, metadata: Logger.Metadata) -> [String] {
        var fields = [
            "MESSAGE=\(event.message)",
            "PRIORITY=\(event.level.syslogPriority)",
            "SYSLOG_IDENTIFIER=\(self.identifier)",
            "CODE_FILE=\(event.file)",
            "CODE_LINE=\(event.line)",
            "CODE_FUNC=\(event.function)",
            "HERALD_LOGGER=\(self.label)",
        ]
        var named: [String: String] = [:]
        for (key, value) in metadata {
            named[JournaldFieldName.forMetadataKey(key)] = "\(value)"
        }
        if named["HERALD_STAGE"] == nil {
            named["HERALD_STAGE"] = self.stage
        }
        for (name, value) in named.sorted(by: { $0.key < $1.key }) {
            fields.append("\(name)=\(value)")
        }
        return fields
    }

    /// Sends fields as one journal entry. Values may contain newlines; libsystemd encodes them.
    static func send(_ fields: [String]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(0) { $0 + $1.utf8.count })
        var lengths: [Int] = []
        lengths.reserveCapacity(fields.count)
        for field in fields {
            bytes.append(contentsOf: field.utf8)
            lengths.append(field.utf8.count)
        }
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var vectors: [iovec] = []
            vectors.reserveCapacity(lengths.count)
            var offset = 0
            for length in lengths {
                vectors.append(iovec(iov_base: base + offset, iov_len: length))
                offset += length
            }
            _ = sd_journal_sendv(vectors, CInt(vectors.count))
        }
    }
}
