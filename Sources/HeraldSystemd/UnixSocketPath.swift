import Glibc

/// A filesystem path for an AF_UNIX socket, checked against the 107-byte limit of `sockaddr_un`.
struct UnixSocketPath: Sendable {
    let path: String

    init(_ path: String) throws {
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        guard !path.isEmpty, path.utf8.count < capacity, !path.utf8.contains(0) else {
            throw SystemdError.invalidArgument(
                "the Unix socket path '\(path)' must be 1 to \(capacity - 1) bytes long; "
                    + "choose a shorter runtime directory (--runtime-dir)"
            )
        }
        self.path = path
    }

    /// Calls `body` with a `sockaddr_un` holding the path.
    func withSockaddr<Result>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result
    ) rethrows -> Result {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: self.path.utf8)
            raw[self.path.utf8.count] = 0
        }
        return try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                try body(socketAddress, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    /// Removes a socket left behind by an earlier run. Refuses to remove anything that is not a socket.
    func removeStaleSocket() throws {
        var status = stat()
        guard lstat(self.path, &status) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw SystemdError.systemCall(
                "lstat",
                errno: code,
                doing: "checking \(self.path) before binding",
                advice: "check the permissions of its directory"
            )
        }
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw SystemdError.invalidArgument(
                "\(self.path) exists and is not a socket; remove it or choose another path"
            )
        }
        guard unlink(self.path) == 0 || errno == ENOENT else {
            throw SystemdError.systemCall(
                "unlink",
                errno: errno,
                doing: "removing the stale socket \(self.path)",
                advice: "check the permissions of its directory, or stop the process still serving it"
            )
        }
    }

    /// Creates the directory holding the socket, and any missing parents, with `mode`.
    func createParentDirectory(mode: mode_t = 0o755) throws {
        guard let slash = self.path.lastIndex(of: "/") else { return }
        let directory = String(self.path[..<slash])
        var prefix = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) != 0 {
                let code = errno
                var status = stat()
                guard code == EEXIST, stat(prefix, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
                    throw SystemdError.systemCall(
                        "mkdir",
                        errno: code,
                        doing: "creating the directory \(prefix) for \(self.path)",
                        advice: "create it beforehand (tmpfiles.d or RuntimeDirectory=) or choose a writable one"
                    )
                }
            }
        }
    }
}
