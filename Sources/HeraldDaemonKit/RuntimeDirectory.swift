#if canImport(Glibc)
    import Glibc
#endif

/// Where the stages' Unix sockets live: `/run/herald` under systemd, `$XDG_RUNTIME_DIR/herald` for a user.
public struct RuntimeDirectory: Sendable, Equatable {
    public let path: String

    public init(path: String) { self.path = path }

    public init(explicit: String?, environment: [String: String]) {
        if let explicit {
            path = explicit
        } else if let fromEnvironment = environment["HERALD_RUNTIME_DIR"], !fromEnvironment.isEmpty {
            path = fromEnvironment
        } else if let xdg = environment["XDG_RUNTIME_DIR"], !xdg.isEmpty {
            path = xdg + "/herald"
        } else {
            path = "/run/herald"
        }
    }

    /// The `input` socket of a stage (`authorizer`, `batcher`).
    public func inputSocket(of stage: String) -> String { "\(path)/\(stage).sock" }

    /// The admin socket of a stage (`ingress`, `authorizer`, `batcher`, `ws-edge`).
    public func adminSocket(of stage: String) -> String { "\(path)/\(stage)-admin.sock" }
}
