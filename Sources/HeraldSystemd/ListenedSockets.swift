import CSystemd
import Glibc

/// The listening sockets a daemon was handed by systemd (or by `herald run`) through socket activation,
/// looked up by their `FileDescriptorName=`.
///
/// Descriptors start at fd 3 and arrive in the order of the unit's `Sockets=`/`ListenStream=` lines; the names
/// come from `LISTEN_FDNAMES`. Several descriptors may share one name (one `.socket` unit listening on
/// IPv4 and IPv6, say): `take(_:)` returns them all, `fd(named:)` insists on exactly one.
public struct ListenedSockets: Sendable, Equatable {
    /// One passed descriptor and its name.
    public struct Entry: Sendable, Equatable {
        /// The `FileDescriptorName=` of the socket (`"unknown"` when systemd passed no names).
        public let name: String
        /// The descriptor number in this process.
        public let fd: CInt
    }

    /// Every passed descriptor, in the order it was passed.
    public let entries: [Entry]

    /// The name systemd uses for a descriptor whose socket unit set no `FileDescriptorName=`.
    public static let unnamed = "unknown"

    /// Builds the mapping from descriptors and their names, as `sd_listen_fds_with_names` reports them.
    ///
    /// A descriptor without a name is called `"unknown"`, as systemd does; names beyond the descriptors
    /// are ignored. This is pure so it can be tested without an environment.
    public init(fileDescriptors: [CInt], names: [String]) {
        self.entries = fileDescriptors.enumerated().map { index, fd in
            let name = index < names.count && !names[index].isEmpty ? names[index] : Self.unnamed
            return Entry(name: name, fd: fd)
        }
    }

    /// Reads the sockets systemd passed to this process (`LISTEN_PID`, `LISTEN_FDS`, `LISTEN_FDNAMES`).
    ///
    /// Returns an empty set when nothing was passed or the variables are meant for another process.
    /// With `unsetEnvironment` (the default) the variables are removed so that processes this daemon
    /// starts do not believe the sockets are theirs. The descriptors are marked close-on-exec.
    ///
    /// - Throws: `SystemdError` when the variables are malformed, e.g. more names than descriptors.
    public static func fromEnvironment(unsetEnvironment: Bool = true) throws -> ListenedSockets {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        let count = sd_listen_fds_with_names(unsetEnvironment ? 1 : 0, &names)
        defer {
            if let names {
                var index = 0
                while let name = names[index] {
                    free(name)
                    index += 1
                }
                free(names)
            }
        }
        guard count >= 0 else {
            throw SystemdError.listenFileDescriptors(errno: -count)
        }
        var fileDescriptors: [CInt] = []
        var nameList: [String] = []
        for index in 0..<Int(count) {
            fileDescriptors.append(SD_LISTEN_FDS_START + CInt(index))
            if let names, let name = names[index] {
                nameList.append(String(cString: name))
            }
        }
        return ListenedSockets(fileDescriptors: fileDescriptors, names: nameList)
    }

    /// True when no descriptor was passed: the daemon was started by hand.
    public var isEmpty: Bool { self.entries.isEmpty }

    /// The distinct names that were passed, in the order they first appear.
    public var names: [String] {
        var seen = Set<String>()
        return self.entries.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }

    /// Every descriptor passed under `name`, in the order they were passed; empty when there is none.
    public func take(_ name: String) -> [CInt] {
        self.entries.filter { $0.name == name }.map(\.fd)
    }

    /// The one descriptor passed under `name`.
    ///
    /// - Throws: `SystemdError` naming the missing socket and the names that were passed, or saying that
    ///   several descriptors carry that name.
    public func fd(named name: String) throws -> CInt {
        let matches = self.take(name)
        guard let first = matches.first else {
            throw SystemdError.missingSocket(name, passed: self.names)
        }
        guard matches.count == 1 else {
            throw SystemdError.ambiguousSocket(name, count: matches.count)
        }
        return first
    }
}
