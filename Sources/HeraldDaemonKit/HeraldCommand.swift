import ArgumentParser
import Foundation

/// `herald`: runs all of Herald in the foreground, no systemd needed.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct HeraldCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "herald", abstract: "Herald, the real-time event server.", subcommands: [Run.self])

    public init() {}

    /// `herald run [--config FILE] [--runtime-dir DIR]`.
    public struct Run: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Start every stage in the foreground, as systemd would; Ctrl-C stops them all.")

        @Option(help: "Configuration file (default: the embedded development configuration).")
        var config: String?

        @Option(
            name: .customLong("runtime-dir"),
            help: "Directory for the stages' sockets (default: $XDG_RUNTIME_DIR/herald or /run/herald).")
        var runtimeDirectory: String?

        @Option(name: .customLong("bin-dir"), help: "Where the herald-* executables are (default: beside herald).")
        var binDirectory: String?

        public init() {}

        public func run() async throws {
            let executable =
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0]
            let options = Supervisor.Options(
                configPath: config.map { URL(fileURLWithPath: $0).path },
                runtime: RuntimeDirectory(explicit: runtimeDirectory, environment: ProcessInfo.processInfo.environment),
                binDirectory: binDirectory ?? URL(fileURLWithPath: executable).deletingLastPathComponent().path)
            let status = await Supervisor(options: options).run()
            if status != 0 { throw ExitCode(status) }
        }
    }
}
