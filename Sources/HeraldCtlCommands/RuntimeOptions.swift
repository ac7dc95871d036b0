import ArgumentParser
import Foundation
import HeraldDaemonKit

/// Where to find the daemons' admin sockets.
struct RuntimeOptions: ParsableArguments {
    @Option(
        name: .customLong("runtime-dir"),
        help: "Directory of the admin sockets (default: $HERALD_RUNTIME_DIR, $XDG_RUNTIME_DIR/herald or /run/herald).")
    var runtimeDirectory: String?

    var runtime: RuntimeDirectory {
        RuntimeDirectory(explicit: runtimeDirectory, environment: ProcessInfo.processInfo.environment)
    }
}

/// Which stages a command addresses: one named with --stage, or all four.
struct StageSelection: ParsableArguments {
    @Option(help: "One stage: ingress, authorizer, batcher or ws-edge (default: all).")
    var stage: String?

    func stages() throws -> [Stage] {
        guard let stage else { return Stage.allCases }
        guard let chosen = Stage(rawValue: stage) else {
            throw ValidationError(
                "unknown stage '\(stage)'; use one of: \(Stage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return [chosen]
    }
}
