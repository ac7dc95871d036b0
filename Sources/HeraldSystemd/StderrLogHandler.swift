import Glibc
import Logging

/// Writes one line per log record to standard error (or any descriptor), for when journald is not there:
/// started by hand, under `herald run`, in a container.
///
/// A line is the sd-daemon priority prefix, the message, then the metadata sorted by key as ` key=value`
/// pairs: `<4>upstream unreachable herald.conn.id=17 herald.error="connection refused"`. systemd strips the
/// prefix into the entry's priority when stderr is a journal stream; `herald run` prefixes the stage.
/// Each record is one unbuffered `write(2)`, so nothing is lost when the process is killed.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// The logger's label (not written: the metadata and the stage prefix identify the source).
    public let label: String
    /// Where lines are written; standard error unless a test passes a pipe.
    public let fileDescriptor: CInt

    public init(
        label: String,
        fileDescriptor: CInt = STDERR_FILENO,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.fileDescriptor = fileDescriptor
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = LogRecordMetadata.merge(handler: self.metadata, provider: self.metadataProvider, event: event)
        var line = Self.line(level: event.level, message: "\(event.message)", metadata: merged)
        line.withUTF8 { bytes in
            var remaining = UnsafeRawBufferPointer(bytes)
            while !remaining.isEmpty {
                let written = write(self.fileDescriptor, remaining.baseAddress, remaining.count)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // nowhere left to report it
                }
                remaining = UnsafeRawBufferPointer(rebasing: remaining[written...])
            }
        }
    }

    /// One record as a line, newline included. Newlines inside the message are written as `\n` so that a
    /// record stays one line.
    public static func line(level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        var line = "<\(level.syslogPriority)>"
        line += Self.escaped(message)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(Self.quotedIfNeeded("\(value)"))"
        }
        line += "\n"
        return line
    }

    /// The value as is when it is a plain word; otherwise in double quotes with `"` and `\` escaped.
    static func quotedIfNeeded(_ value: String) -> String {
        let plain =
            !value.isEmpty
            && value.unicodeScalars.allSatisfy { scalar in
                scalar.value > 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "\\" && scalar != "="
            }
        if plain { return value }
        var quoted = "\""
        for character in Self.escaped(value) {
            if character == "\"" { quoted += "\\\"" } else { quoted.append(character) }
        }
        quoted += "\""
        return quoted
    }

    /// Backslash, newline, carriage return and tab written as escapes.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\\" }) else {
            return text
        }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\\": result += "\\\\"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
