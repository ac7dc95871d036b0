import HeraldConfig
import HeraldModel
import HeraldSystemd

/// Finds a stage's listening sockets: from systemd (or `herald run`) when `LISTEN_FDS` is set, otherwise
/// bound here from `--listen NAME=ADDRESS` or the stage's defaults (the configured TCP addresses and the
/// runtime directory's socket paths).
public enum StageListeners {
    public static func resolve(
        stage: Stage, options: DaemonOptions, configuration: HeraldConfiguration, runtime: RuntimeDirectory,
        environment: [String: String]
    ) throws -> [String: CInt] {
        if environment["LISTEN_FDS"] != nil {
            let passed = try ListenedSockets.fromEnvironment()
            var fds: [String: CInt] = [:]
            for name in stage.allSockets { fds[name] = try passed.fd(named: name) }
            return fds
        }
        let explicit = try parseListenOptions(options.listen, allowed: stage.allSockets)
        var fds: [String: CInt] = [:]
        for name in stage.allSockets {
            let address = explicit[name] ?? defaultAddress(of: name, stage: stage, configuration, runtime)
            fds[name] = try bind(address, name: name)
        }
        return fds
    }

    static func parseListenOptions(_ values: [String], allowed: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for value in values {
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                throw HeraldError(.invalidPayload, "--listen \(value): expected NAME=ADDRESS, e.g. http=127.0.0.1:6002")
            }
            let name = String(value[..<equals])
            guard allowed.contains(name) else {
                throw HeraldError(
                    .invalidPayload,
                    "--listen \(value): this daemon has no socket '\(name)' (it has \(allowed.joined(separator: ", ")))"
                )
            }
            result[name] = String(value[value.index(after: equals)...])
        }
        return result
    }

    static func defaultAddress(
        of name: String, stage: Stage, _ configuration: HeraldConfiguration, _ runtime: RuntimeDirectory
    ) -> String {
        switch name {
        case "http": "\(configuration.ingress.listen)"
        case "websocket": "\(configuration.edge.listen)"
        case "admin": runtime.adminSocket(of: stage.rawValue)
        default: runtime.inputSocket(of: stage.rawValue)
        }
    }

    static func bind(_ address: String, name: String) throws -> CInt {
        if address.hasPrefix("/") || address.hasPrefix(".") {
            return try SocketBinder.bindUnix(path: address)
        }
        let parsed = try ListenAddress(parsing: address)
        return try SocketBinder.bindTCP(host: parsed.host, port: parsed.port, reusePort: name == "websocket")
    }
}
