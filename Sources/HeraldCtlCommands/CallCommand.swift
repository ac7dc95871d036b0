import ArgumentParser
import HeraldAdmin
import HeraldDaemonKit

/// `heraldctl call STAGE METHOD [key=value …]`: any admin method, for operators and scripts.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "call", abstract: "Call an admin method on one stage.")

    @OptionGroup var runtime: RuntimeOptions
    @Argument(help: "ingress, authorizer, batcher or ws-edge") var stage: String
    @Argument(help: "The method, e.g. info, stats, health.") var method: String
    @Argument(help: "Arguments as key=value (values are strings; integers when they look like one).")
    var arguments: [String] = []

    func run() async throws {
        var args: [String: AdminValue] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                throw ValidationError("argument '\(argument)' is not key=value")
            }
            let value = String(argument[argument.index(after: equals)...])
            args[String(argument[..<equals])] = Int64(value).map(AdminValue.int) ?? .string(value)
        }
        try await AdminQuery(
            method: method, runtime: runtime, selection: try StageSelection.parse(["--stage", stage]), json: true,
            args: args
        ).run()
    }
}
