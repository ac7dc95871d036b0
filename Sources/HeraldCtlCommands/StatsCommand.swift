import ArgumentParser
import HeraldAdmin
import HeraldDaemonKit

/// `heraldctl stats [--stage S] [--json]`: each stage's counters.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Show the stages' counters.")

    @OptionGroup var runtime: RuntimeOptions
    @OptionGroup var selection: StageSelection
    @Flag(help: "Print one JSON object keyed by stage.") var json = false

    func run() async throws {
        try await AdminQuery(method: "stats", runtime: runtime, selection: selection, json: json).run()
    }
}

/// `heraldctl health [--stage S] [--json]`: each stage's own view of its health.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "health", abstract: "Show the stages' health.")

    @OptionGroup var runtime: RuntimeOptions
    @OptionGroup var selection: StageSelection
    @Flag(help: "Print one JSON object keyed by stage.") var json = false

    func run() async throws {
        try await AdminQuery(method: "health", runtime: runtime, selection: selection, json: json).run()
    }
}

/// Calls one admin method on the selected stages and prints the answers.
struct AdminQuery {
    let method: String
    let runtime: RuntimeOptions
    let selection: StageSelection
    let json: Bool
    var args: [String: AdminValue] = [:]

    func run() async throws {
        var answers: [String: AdminValue] = [:]
        var failed = false
        for stage in try selection.stages() {
            do {
                answers[stage.rawValue] = try await AdminClient.call(
                    socketPath: runtime.runtime.adminSocket(of: stage.rawValue), method: method, args: args)
            } catch {
                failed = true
                answers[stage.rawValue] = ["error": .string("\(error)")]
            }
        }
        if json {
            print(AdminValue.object(answers).json)
        } else {
            for stage in answers.keys.sorted() {
                print("\(stage):")
                for line in answers[stage]!.lines(indent: "  ") { print(line) }
            }
        }
        if failed { throw ExitCode(3) }
    }
}
