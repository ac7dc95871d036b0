import ArgumentParser
import Foundation
import HeraldConfig

/// `heraldctl check-config FILE`: every problem with its key path; exit status 1 when there is one.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate a configuration file and report every problem.")

    @Argument(help: "The YAML file to check.") var file: String

    func run() async throws {
        do {
            let configuration = try HeraldConfiguration.load(
                path: file, environment: ProcessInfo.processInfo.environment)
            for warning in configuration.warnings { print("warning: \(warning.keyPath): \(warning.message)") }
            print("\(file): ok")
        } catch {
            for problem in error.problems { print("\(file): \(problem.keyPath): \(problem.message)") }
            throw ExitCode(1)
        }
    }
}
