import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Copies a stage's stdout/stderr to the supervisor's stderr, one line at a time, each prefixed with the
/// stage name (`ingress    | …`). On a terminal the `<N>` priority prefix is dropped for people; elsewhere it
/// is kept in front so journald (when `herald run` itself runs under systemd) still reads the priority.
final class StageLogRelay: Sendable {
    /// The write end, handed to every incarnation of the stage as its stdout and stderr.
    let writeEnd: CInt
    private let readEnd: CInt

    init(stage: Stage) throws {
        var fds: [CInt] = [0, 0]
        guard pipe(&fds) == 0, fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0 else {
            throw RunError("cannot create a log pipe for \(stage.rawValue): \(String(cString: strerror(errno)))")
        }
        readEnd = fds[0]
        writeEnd = fds[1]
        let label = stage.rawValue.padding(toLength: 10) + " | "
        let keepPriority = isatty(2) == 0
        let readEnd = self.readEnd
        Thread.detachNewThread {
            Self.relay(from: readEnd, label: label, keepPriority: keepPriority)
        }
    }

    private static func relay(from fd: CInt, label: String, keepPriority: Bool) {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                emit(pending[..<newline], label: label, keepPriority: keepPriority)
                pending.removeSubrange(...newline)
            }
        }
    }

    private static func emit(_ line: ArraySlice<UInt8>, label: String, keepPriority: Bool) {
        var body = line
        var priority: ArraySlice<UInt8> = []
        if body.count >= 3, body.first == UInt8(ascii: "<"),
            let close = body.prefix(4).firstIndex(of: UInt8(ascii: ">"))
        {
            priority = body[...close]
            body = body[body.index(after: close)...]
        }
        var out: [UInt8] = []
        out.reserveCapacity(line.count + label.utf8.count + 1)
        if keepPriority { out.append(contentsOf: priority) }
        out.append(contentsOf: label.utf8)
        out.append(contentsOf: body)
        out.append(UInt8(ascii: "\n"))
        out.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }
}

/// A `herald run` failure, with what to do about it.
struct RunError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
