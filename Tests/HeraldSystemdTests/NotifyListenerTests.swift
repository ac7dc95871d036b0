import Glibc
import HeraldSystemd
import Testing

/// Sends one datagram to a notify socket the way any daemon would, without libsystemd.
func sendDatagram(_ text: String, to path: String) throws {
    let fd = socket(AF_UNIX, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
    #expect(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        raw.copyBytes(from: path.utf8)
        raw[path.utf8.count] = 0
    }
    let sent = text.withCString { bytes in
        withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes, strlen(bytes), 0, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
    #expect(sent == text.utf8.count, "sendto failed: errno \(errno)")
}

@Suite struct NotifyListenerTests {
    @Test func receivesDatagramsWithTheSenderPID() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifyListener(path: directory.file("run/notify.sock"))
        defer { listener.close() }

        try sendDatagram("READY=1\nSTATUS=up", to: listener.path)
        let ready = try await listener.waitFor(timeout: .seconds(5)) { $0.contains(.ready) }
        #expect(ready.text == "READY=1\nSTATUS=up")
        #expect(ready.senderPID == getpid())
        #expect(ready.status == "up")
        #expect(ready.sequence == 1)
    }

    @Test func waitForFindsWhatArrivedBeforeItWasCalled() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifyListener(path: directory.file("notify.sock"))
        defer { listener.close() }

        try sendDatagram("STATUS=first", to: listener.path)
        try sendDatagram("STATUS=second", to: listener.path)
        _ = try await listener.waitFor(timeout: .seconds(5)) { $0.status == "second" }
        let first = try await listener.waitFor(timeout: .milliseconds(1)) { $0.status == "first" }
        #expect(first.sequence == 1)
        #expect(listener.received.map(\.text) == ["STATUS=first", "STATUS=second"])
    }

    @Test func streamsNewDatagramsToSubscribers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifyListener(path: directory.file("notify.sock"))
        let stream = listener.datagrams()
        try sendDatagram("WATCHDOG=1", to: listener.path)
        try sendDatagram("STOPPING=1", to: listener.path)
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next()?.messages == [.watchdog])
        #expect(await iterator.next()?.messages == [.stopping])
        listener.close()
        #expect(await iterator.next() == nil)
    }

    @Test func timeoutNamesWhatDidArrive() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifyListener(path: directory.file("notify.sock"))
        defer { listener.close() }
        try sendDatagram("STATUS=starting", to: listener.path)
        _ = try await listener.waitFor(timeout: .seconds(5)) { $0.status != nil }

        await #expect {
            _ = try await listener.waitFor(timeout: .milliseconds(50)) { $0.contains(.ready) }
        } throws: { error in
            guard let error = error as? SystemdError else { return false }
            return error.isTimeout && error.message.contains("STATUS=starting")
                && error.message.contains("NOTIFY_SOCKET=\(listener.path)")
        }
    }

    @Test func closeRemovesTheSocketAndEndsWaits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifyListener(path: directory.file("notify.sock"))
        var status = stat()
        #expect(stat(listener.path, &status) == 0)
        listener.close()
        listener.close()
        #expect(stat(listener.path, &status) != 0)
        await #expect(throws: SystemdError.self) {
            _ = try await listener.waitFor(timeout: .seconds(5)) { _ in true }
        }
    }

    @Test func replacesAStaleSocketButNotAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("notify.sock")
        let first = try NotifyListener(path: path)
        // A crashed supervisor leaves its socket file behind: simulate by binding again without closing.
        let second = try NotifyListener(path: path)
        second.close()
        first.close()

        let regular = directory.file("regular")
        let fd = open(regular, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        close(fd)
        #expect {
            _ = try NotifyListener(path: regular)
        } throws: { error in
            ((error as? SystemdError)?.message ?? "").contains("is not a socket")
        }
    }
}
