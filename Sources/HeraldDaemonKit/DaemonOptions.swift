import ArgumentParser

/// The command line every Herald daemon shares. Wiring (socket paths) comes from here, from systemd, or
/// from `herald run` — never from the user's configuration file.
public struct DaemonOptions: ParsableArguments, Sendable {
    @Option(help: "Configuration file (default: the embedded development configuration).")
    public var config: String?

    @Option(
        name: .customLong("runtime-dir"),
        help:
            "Directory of the stages' Unix sockets (default: $HERALD_RUNTIME_DIR, $XDG_RUNTIME_DIR/herald or /run/herald)."
    )
    public var runtimeDirectory: String?

    @Option(
        name: .customLong("listen"), parsing: .singleValue,
        help:
            "Bind a socket yourself instead of taking it from systemd: NAME=HOST:PORT or NAME=/path.sock (repeatable).")
    public var listen: [String] = []

    @Option(help: "Instance name for logs and hello frames (default: <stage>-<pid>).")
    public var instance: String?

    @Flag(
        name: .customLong("config-warnings"), inversion: .prefixedNo,
        help: "Log the configuration's warnings at startup (herald run reports them once for all stages).")
    public var configWarnings = true

    public init() {}
}
