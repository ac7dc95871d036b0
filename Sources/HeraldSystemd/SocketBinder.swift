import CSystemd
import Glibc

/// Creates listening sockets the way a `.socket` unit does, for `herald run`, for `--listen NAME=ADDRESS`,
/// and for tests.
///
/// Every descriptor is returned listening, blocking and close-on-exec; `ActivatedProcess` passes copies to a
/// child without that flag. Whoever adopts one (NIO's `ServerBootstrap.withBoundSocket`) makes it non-blocking.
public enum SocketBinder {
    /// The `listen(2)` backlog systemd uses (`Backlog=`, SOMAXCONN); the kernel caps it at `net.core.somaxconn`.
    public static let defaultBacklog: CInt = 4096

    /// Binds and listens on a TCP address (`ListenStream=HOST:PORT`).
    ///
    /// `SO_REUSEADDR` is always set so a restarted supervisor can bind again at once. `reusePort` sets
    /// `SO_REUSEPORT` (`ReusePort=`), letting several edge instances share the port. Port 0 picks a free port:
    /// read it back with `boundPort(of:)`. An IPv6 host such as `::` also accepts IPv4 (Linux default).
    ///
    /// - Parameter host: A numeric address (`127.0.0.1`, `0.0.0.0`, `::1`) or a name such as `localhost`;
    ///   the first address it resolves to is used.
    public static func bindTCP(
        host: String,
        port: Int,
        reusePort: Bool = false,
        backlog: CInt = defaultBacklog
    ) throws -> CInt {
        guard (0...65535).contains(port) else {
            throw SystemdError.invalidArgument("the port \(port) is out of range; use 0 to 65535")
        }
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = CInt(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let resolved = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw SystemdError.invalidArgument(
                "cannot resolve the listen address \(address): \(String(cString: gai_strerror(resolved))); "
                    + "use a numeric address such as 127.0.0.1 or 0.0.0.0"
            )
        }
        defer { freeaddrinfo(list) }

        let fd = socket(first.pointee.ai_family, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw SystemdError.systemCall(
                "socket",
                errno: errno,
                doing: "creating a TCP socket for \(address)",
                advice: "the process may be out of file descriptors; raise LimitNOFILE="
            )
        }
        do {
            try self.setOption(fd, SO_REUSEADDR, "SO_REUSEADDR", address)
            if reusePort {
                try self.setOption(fd, SO_REUSEPORT, "SO_REUSEPORT", address)
            }
            guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
                let code = errno
                let advice =
                    code == EADDRINUSE
                    ? "another process listens there; stop it, pick another port, or set reuse_port for edges"
                    : code == EACCES
                        ? "ports below 1024 need CAP_NET_BIND_SERVICE; use a socket unit or a higher port"
                        : "check that the address belongs to this host"
                throw SystemdError.systemCall("bind", errno: code, doing: "binding \(address)", advice: advice)
            }
            try self.listen(fd, backlog, address)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Binds and listens on a Unix stream socket (`ListenStream=/path`, `SocketMode=`).
    ///
    /// Creates the parent directory (0755) when missing, removes a stale socket left by an earlier run (but
    /// refuses to remove anything that is not a socket), and sets the socket file's mode.
    public static func bindUnix(path: String, mode: mode_t = 0o660, backlog: CInt = defaultBacklog) throws -> CInt {
        let socketPath = try UnixSocketPath(path)
        try socketPath.createParentDirectory()
        try socketPath.removeStaleSocket()
        let fd = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw SystemdError.systemCall(
                "socket",
                errno: errno,
                doing: "creating a Unix socket for \(path)",
                advice: "the process may be out of file descriptors; raise LimitNOFILE="
            )
        }
        do {
            let bound = socketPath.withSockaddr { address, length in bind(fd, address, length) }
            guard bound == 0 else {
                throw SystemdError.systemCall(
                    "bind",
                    errno: errno,
                    doing: "binding \(path)",
                    advice: "check that its directory is writable by this user"
                )
            }
            guard chmod(path, mode) == 0 else {
                throw SystemdError.systemCall(
                    "chmod",
                    errno: errno,
                    doing: "setting the mode of \(path)",
                    advice: "check that this user owns the socket file"
                )
            }
            try self.listen(fd, backlog, path)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// The local TCP port a socket is bound to; use after binding port 0.
    public static func boundPort(of fd: CInt) throws -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else {
            throw SystemdError.systemCall(
                "getsockname",
                errno: errno,
                doing: "reading the port of fd \(fd)",
                advice: "pass a bound socket"
            )
        }
        switch CInt(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
        default:
            throw SystemdError.invalidArgument("fd \(fd) is not a TCP socket, so it has no port")
        }
    }

    private static func setOption(_ fd: CInt, _ option: CInt, _ name: String, _ address: String) throws {
        var enable: CInt = 1
        guard setsockopt(fd, SOL_SOCKET, option, &enable, socklen_t(MemoryLayout<CInt>.size)) == 0 else {
            throw SystemdError.systemCall(
                "setsockopt(\(name))",
                errno: errno,
                doing: "configuring the socket for \(address)",
                advice: "this needs Linux 3.9 or later"
            )
        }
    }

    private static func listen(_ fd: CInt, _ backlog: CInt, _ address: String) throws {
        guard Glibc.listen(fd, backlog) == 0 else {
            throw SystemdError.systemCall(
                "listen",
                errno: errno,
                doing: "listening on \(address)",
                advice: "check the backlog value"
            )
        }
    }
}
