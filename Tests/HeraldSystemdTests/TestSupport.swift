import Foundation
import Glibc
import Logging
import Synchronization

/// A fresh directory under /tmp (short, for socket paths), removed with everything in it by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/herald-sd-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        self.path = String(cString: made)
    }

    func file(_ name: String) -> String { "\(self.path)/\(name)" }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}

/// A close-on-exec pipe.
struct TestPipe {
    let readEnd: CInt
    let writeEnd: CInt

    init() {
        var ends: [CInt] = [-1, -1]
        precondition(pipe(&ends) == 0)
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        self.readEnd = ends[0]
        self.writeEnd = ends[1]
    }

    func closeWriteEnd() { close(self.writeEnd) }

    /// Reads until end of file (the write end and every copy of it closed), then closes the read end.
    func readAllAndClose() -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(self.readEnd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        close(self.readEnd)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Runs `body` with environment variables set (nil removes one), restoring the previous values afterwards.
/// Only for tests in the serialized `ProcessEnvironmentTests` suite: the environment is process-wide.
@discardableResult
func withEnvironment<Result>(
    _ variables: [String: String?],
    _ body: () async throws -> Result
) async throws -> Result {
    var saved: [String: String?] = [:]
    for (name, value) in variables {
        saved[name] = getenv(name).map { String(cString: $0) }
        if let value {
            setenv(name, value, 1)
        } else {
            unsetenv(name)
        }
    }
    defer {
        for (name, value) in saved {
            if let value {
                setenv(name, value, 1)
            } else {
                unsetenv(name)
            }
        }
    }
    return try await body()
}

/// Keeps every record logged through it, for assertions.
struct CapturingLogHandler: LogHandler {
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: Logger.Metadata
        let error: String?
    }

    final class Store: Sendable {
        private let records = Mutex<[Record]>([])
        var all: [Record] { self.records.withLock { $0 } }
        func append(_ record: Record) { self.records.withLock { $0.append(record) } }
    }

    let store: Store
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        self.store.append(
            Record(
                level: event.level,
                message: "\(event.message)",
                metadata: self.metadata.merging(event.metadata ?? [:]) { $1 },
                error: event.error.map { "\($0)" }
            )
        )
    }

    static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "test") { _ in CapturingLogHandler(store: store) }, store)
    }
}

/// A value shared between a test and the tasks it starts.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { self.mutex = Mutex(value) }

    var value: Value { self.mutex.withLock { $0 } }

    @discardableResult
    func update<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        self.mutex.withLock { body(&$0) }
    }
}
