import ArgumentParser
import HeraldAdmin
import HeraldDaemonKit

/// `heraldctl status [--json]`: one line per stage — running or down, pid, uptime, version.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show every stage's state.")

    @OptionGroup var runtime: RuntimeOptions
    @Flag(help: "Print [{\"stage\",\"pid\",\"state\",\"uptime_s\",\"version\"}, …].") var json = false

    func run() async throws {
        var rows: [AdminValue] = []
        for stage in Stage.allCases {
            let socket = runtime.runtime.adminSocket(of: stage.rawValue)
            if let info = try? await AdminClient.call(socketPath: socket, method: "info", timeout: .seconds(2)) {
                rows.append([
                    "stage": .string(stage.rawValue), "pid": info["pid"] ?? .null, "state": info["state"] ?? "running",
                    "uptime_s": info["uptime_s"] ?? .null, "version": info["version"] ?? .null,
                    "status": info["status"] ?? .null,
                ])
            } else {
                rows.append([
                    "stage": .string(stage.rawValue), "pid": .null, "state": "down", "uptime_s": .null,
                    "version": .null, "status": .string("no answer on \(socket)"),
                ])
            }
        }
        if json {
            print(AdminValue.array(rows).json)
        } else {
            print("STAGE        STATE    PID      UPTIME   STATUS")
            for row in rows {
                let columns = [
                    (row["stage"]?.scalarText ?? "", 12), (row["state"]?.scalarText ?? "", 8),
                    (row["pid"]?.scalarText ?? "", 8), (row["uptime_s"]?.intValue.map { "\($0)s" } ?? "-", 8),
                ]
                let text = columns.map { $0.0.padding(toLength: $0.1) }.joined(separator: " ")
                print(text + " " + (row["status"]?.scalarText ?? ""))
            }
        }
        if rows.contains(where: { $0["state"] == "down" }) { throw ExitCode(3) }
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
