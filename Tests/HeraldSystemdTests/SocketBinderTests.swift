import Glibc
import HeraldSystemd
import Testing

@Suite struct SocketBinderTests {
    @Test func bindsTCPOnAFreePortThatAcceptsConnections() throws {
        let listener = try SocketBinder.bindTCP(host: "127.0.0.1", port: 0)
        defer { close(listener) }
        let port = try SocketBinder.boundPort(of: listener)
        #expect(port > 0)
        #expect(fcntl(listener, F_GETFD) & FD_CLOEXEC != 0)

        let client = socket(AF_INET, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        defer { close(client) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        #expect(connected == 0)
        let accepted = accept(listener, nil, nil)
        #expect(accepted >= 0)
        close(accepted)
    }

    @Test func secondBindOnTheSamePortNeedsReusePort() throws {
        let first = try SocketBinder.bindTCP(host: "127.0.0.1", port: 0, reusePort: true)
        defer { close(first) }
        let port = try SocketBinder.boundPort(of: first)
        let second = try SocketBinder.bindTCP(host: "127.0.0.1", port: port, reusePort: true)
        close(second)

        let plain = try SocketBinder.bindTCP(host: "127.0.0.1", port: 0)
        defer { close(plain) }
        #expect {
            _ = try SocketBinder.bindTCP(host: "127.0.0.1", port: try SocketBinder.boundPort(of: plain))
        } throws: { error in
            ((error as? SystemdError)?.errno) == EADDRINUSE
        }
    }

    @Test func bindsIPv6Loopback() throws {
        let fd = try SocketBinder.bindTCP(host: "::1", port: 0)
        defer { close(fd) }
        #expect(try SocketBinder.boundPort(of: fd) > 0)
    }

    @Test func bindsUnixSocketCreatingItsDirectoryWithTheMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("run/herald/batcher.sock")
        let fd = try SocketBinder.bindUnix(path: path, mode: 0o660)
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFSOCK)
        #expect(status.st_mode & 0o777 == 0o660)
        #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
        close(fd)

        // The socket file outlives its descriptor, as after a crash; binding again replaces it.
        let again = try SocketBinder.bindUnix(path: path)
        close(again)
    }

    @Test func rejectsPathsTooLongForSockaddr() {
        #expect {
            _ = try SocketBinder.bindUnix(path: "/tmp/" + String(repeating: "x", count: 200))
        } throws: { error in
            ((error as? SystemdError)?.message ?? "").contains("--runtime-dir")
        }
    }
}
