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

/// `heraldctl revoke --jti ID`: the authorizer refuses that token from now on.
struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by its jti.")

    @OptionGroup var runtime: RuntimeOptions
    @Option(help: "The token's jti claim.") var jti: String

    func run() async throws {
        try await AdminQuery(
            method: "revoke", runtime: runtime, selection: try StageSelection.parse(["--stage", "authorizer"]),
            json: false, args: ["jti": .string(jti)]
        ).run()
    }
}
