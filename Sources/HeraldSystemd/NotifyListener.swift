import CSystemd
import Glibc
import Synchronization

/// The supervisor's end of the sd_notify protocol: an AF_UNIX datagram socket at a path, handed to daemons as
/// `$NOTIFY_SOCKET`. `herald run` owns one to learn when each stage is ready; test fixtures own one to wait
/// for `READY=1` instead of sleeping.
///
/// `SO_PASSCRED` is set, so every datagram carries the sender's pid as the kernel saw it; a supervisor
/// matches it against the pids it spawned. A background thread receives datagrams; the listener keeps the
/// most recent ones (`received`), streams new ones to subscribers (`datagrams()`) and answers `waitFor`.
/// Call `close()` when done; it removes the socket file.
public final class NotifyListener: Sendable {
    /// The socket's path: the value to put in `$NOTIFY_SOCKET`.
    public let path: String

    private let inbox: Inbox
    private let socketFD: CInt
    private let wakeFD: CInt
    private let thread: Mutex<BlockingThread?>

    /// How many datagrams `received` keeps.
    public static let historyLimit = 1024

    /// Binds a datagram socket at `path`, replacing a stale socket there and creating the parent directory.
    ///
    /// - Throws: `SystemdError` when the path is too long, is not a socket, or cannot be bound.
    public init(path: String) throws {
        let socketPath = try UnixSocketPath(path)
        try socketPath.createParentDirectory()
        try socketPath.removeStaleSocket()

        let socketType = CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue) | CInt(SOCK_NONBLOCK.rawValue)
        let fd = socket(AF_UNIX, socketType, 0)
        guard fd >= 0 else {
            throw SystemdError.systemCall(
                "socket",
                errno: errno,
                doing: "creating the notify socket \(path)",
                advice: "the process may be out of file descriptors; raise LimitNOFILE="
            )
        }
        var wakePair: [CInt] = [-1, -1]
        var enable: CInt = 1
        do {
            guard setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &enable, socklen_t(MemoryLayout<CInt>.size)) == 0 else {
                throw SystemdError.systemCall(
                    "setsockopt(SO_PASSCRED)",
                    errno: errno,
                    doing: "asking for sender credentials on \(path)",
                    advice: "this needs Linux"
                )
            }
            let bound = socketPath.withSockaddr { address, length in bind(fd, address, length) }
            guard bound == 0 else {
                throw SystemdError.systemCall(
                    "bind",
                    errno: errno,
                    doing: "binding the notify socket \(path)",
                    advice: "check that the directory is writable and that no other supervisor uses this path"
                )
            }
            guard socketpair(AF_UNIX, socketType, 0, &wakePair) == 0 else {
                throw SystemdError.systemCall(
                    "socketpair",
                    errno: errno,
                    doing: "creating the notify listener's wake-up channel",
                    advice: "the process may be out of file descriptors; raise LimitNOFILE="
                )
            }
        } catch {
            Glibc.close(fd)
            unlink(path)
            throw error
        }

        self.path = path
        self.inbox = Inbox(path: path)
        self.socketFD = fd
        self.wakeFD = wakePair[0]
        let reader = Reader(socketFD: fd, wakeFD: wakePair[1], inbox: self.inbox)
        do {
            self.thread = Mutex(try BlockingThread.start { reader.run() })
        } catch {
            Glibc.close(fd)
            Glibc.close(wakePair[0])
            Glibc.close(wakePair[1])
            unlink(path)
            throw error
        }
    }

    deinit {
        self.close()
    }

    /// The most recent datagrams received (at most `historyLimit`), oldest first.
    public var received: [NotifyDatagram] {
        self.inbox.history
    }

    /// The datagrams received from now on. The stream finishes when the listener is closed.
    public func datagrams() -> AsyncStream<NotifyDatagram> {
        self.inbox.subscribe().stream
    }

    /// Waits for a datagram matching `predicate`, looking first at those already received.
    ///
    /// Filter by `senderPID` or `sequence` to ignore datagrams from an earlier process or an earlier phase.
    ///
    /// - Throws: `SystemdError` (`isTimeout`) when none arrives within `timeout`, naming what did arrive;
    ///   `SystemdError` when the listener is closed meanwhile; `CancellationError` when the task is cancelled.
    public func waitFor(
        timeout: Duration,
        _ predicate: @escaping @Sendable (NotifyDatagram) -> Bool
    ) async throws -> NotifyDatagram {
        let subscription = self.inbox.subscribe(unlessHistoryHas: predicate)
        if let match = subscription.match {
            return match
        }
        let stream = subscription.stream
        enum Outcome: Sendable {
            case matched(NotifyDatagram)
            case closed
            case timedOut
        }
        let outcome = try await withThrowingTaskGroup(of: Outcome.self) { group in
            group.addTask {
                for await datagram in stream where predicate(datagram) {
                    return .matched(datagram)
                }
                try Task.checkCancellation()
                return .closed
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return .timedOut
            }
            defer { group.cancelAll() }
            return try await group.next() ?? .closed
        }
        switch outcome {
        case .matched(let datagram):
            return datagram
        case .closed:
            throw SystemdError.closed("the notify listener at \(self.path) was closed while waiting")
        case .timedOut:
            let recent = self.inbox.history.suffix(8).map(\.description)
            let seen = recent.isEmpty ? "nothing was received" : "received: " + recent.joined(separator: "; ")
            throw SystemdError.timeout(
                "no matching notification arrived on \(self.path) within \(timeout); \(seen); "
                    + "check that the daemon was given NOTIFY_SOCKET=\(self.path) and that it starts up"
            )
        }
    }

    /// Stops receiving, finishes every stream and removes the socket file. Safe to call more than once.
    public func close() {
        let thread = self.thread.withLock { thread in
            defer { thread = nil }
            return thread
        }
        guard let thread else { return }
        var wake: UInt8 = 1
        _ = Glibc.write(self.wakeFD, &wake, 1)
        thread.join()
        Glibc.close(self.socketFD)
        Glibc.close(self.wakeFD)
        unlink(self.path)
        self.inbox.finish()
    }
}

extension NotifyListener {
    /// The received datagrams and the subscribers waiting for more.
    private final class Inbox: Sendable {
        private struct State {
            var history: [NotifyDatagram] = []
            var nextSequence = 1
            var nextSubscriber = 0
            var subscribers: [Int: AsyncStream<NotifyDatagram>.Continuation] = [:]
            var finished = false
        }

        let path: String
        private let state = Mutex(State())

        init(path: String) {
            self.path = path
        }

        var history: [NotifyDatagram] {
            self.state.withLock { $0.history }
        }

        func subscribe(
            unlessHistoryHas predicate: ((NotifyDatagram) -> Bool)? = nil
        ) -> (match: NotifyDatagram?, stream: AsyncStream<NotifyDatagram>) {
            let (stream, continuation) = AsyncStream.makeStream(
                of: NotifyDatagram.self,
                bufferingPolicy: .bufferingNewest(NotifyListener.historyLimit)
            )
            let outcome: (match: NotifyDatagram?, id: Int?) = self.state.withLock { state in
                if let predicate, let match = state.history.first(where: predicate) {
                    return (match, nil)
                }
                if state.finished {
                    return (nil, nil)
                }
                let id = state.nextSubscriber
                state.nextSubscriber += 1
                state.subscribers[id] = continuation
                return (nil, id)
            }
            if let id = outcome.id {
                continuation.onTermination = { [weak self] _ in
                    _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
                }
            } else {
                continuation.finish()
            }
            return (outcome.match, stream)
        }

        func deliver(text: String, senderPID: pid_t?) {
            let (datagram, subscribers) = self.state.withLock { state in
                let datagram = NotifyDatagram(senderPID: senderPID, text: text, sequence: state.nextSequence)
                state.nextSequence += 1
                state.history.append(datagram)
                if state.history.count > NotifyListener.historyLimit {
                    state.history.removeFirst(state.history.count - NotifyListener.historyLimit)
                }
                return (datagram, Array(state.subscribers.values))
            }
            for subscriber in subscribers {
                subscriber.yield(datagram)
            }
        }

        func finish() {
            let subscribers = self.state.withLock { state in
                state.finished = true
                defer { state.subscribers.removeAll() }
                return Array(state.subscribers.values)
            }
            for subscriber in subscribers {
                subscriber.finish()
            }
        }
    }

    /// The loop run on the listener's thread: poll, receive, deliver, until woken to stop.
    private struct Reader: Sendable {
        let socketFD: CInt
        let wakeFD: CInt
        let inbox: Inbox

        func run() {
            defer { Glibc.close(self.wakeFD) }
            var buffer = [UInt8](repeating: 0, count: 8192)
            var descriptors = [
                pollfd(fd: self.socketFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: self.wakeFD, events: Int16(POLLIN), revents: 0),
            ]
            while true {
                let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
                if ready < 0 {
                    if errno == EINTR { continue }
                    return
                }
                if descriptors[1].revents != 0 {
                    return
                }
                guard descriptors[0].revents & Int16(POLLIN) != 0 else {
                    if descriptors[0].revents != 0 { return }
                    continue
                }
                while true {
                    var pid: pid_t = 0
                    var truncated: CInt = 0
                    let count = buffer.withUnsafeMutableBytes { raw in
                        herald_recv_with_sender_pid(self.socketFD, raw.baseAddress, raw.count, &pid, &truncated)
                    }
                    if count < 0 {
                        if errno == EINTR { continue }
                        break
                    }
                    let text = String(decoding: buffer[0..<count], as: UTF8.self)
                    self.inbox.deliver(text: text, senderPID: pid > 0 ? pid : nil)
                }
            }
        }
    }
}
