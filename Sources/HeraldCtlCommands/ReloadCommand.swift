import ArgumentParser
import HeraldDaemonKit

/// `heraldctl reload [--stage S]`: the stages re-read their configuration (as on SIGHUP).
struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reload", abstract: "Reload the configuration.")

    @OptionGroup var runtime: RuntimeOptions
    @OptionGroup var selection: StageSelection

    func run() async throws {
        try await AdminQuery(method: "reload", runtime: runtime, selection: selection, json: false).run()
    }
}

/// `heraldctl revoke JTI`: the authorizer refuses that token from now on (also after a restart), and every edge
/// closes the connections that hold it.
struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by its jti.")

    @OptionGroup var runtime: RuntimeOptions
    @Argument(help: "The token's jti claim.") var tokenID: String?
    @Option(name: .customLong("jti"), help: "The same, as an option.") var jtiOption: String?

    func validate() throws {
        guard (tokenID == nil) != (jtiOption == nil) else {
            throw ValidationError("name one token: heraldctl revoke JTI")
        }
    }

    func run() async throws {
        try await AdminQuery(
            method: "revoke", runtime: runtime, selection: try StageSelection.parse(["--stage", "authorizer"]),
            json: false, args: ["jti": .string(tokenID ?? jtiOption ?? "")]
        ).run()
    }
}
