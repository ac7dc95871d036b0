import Foundation

extension HeraldConfiguration {
    /// `HERALD_*` variables that wire processes together rather than configure Herald; loading ignores them.
    public static let wiringEnvironmentVariables: Set<String> = [
        "HERALD_LOG_LEVEL", "HERALD_RUNTIME_DIR", "HERALD_CONFIG",
    ]

    /// The systemd credential that supplies `auth.jwt_secret` (`LoadCredential=jwt_secret:/etc/herald/jwt_secret`).
    public static let jwtSecretCredential = "jwt_secret"

    /// Every overridable key's variable (`HERALD_LIMITS_CLIENT_EVENTS_PER_MINUTE`) and its key path.
    static var environmentOverrides: [String: (section: String, key: String)] {
        var table: [String: (section: String, key: String)] = [:]
        for (section, type) in mappingSections {
            for key in type.scalarKeys { table[variableName(section, key)] = (section, key) }
        }
        return table
    }

    /// Variables that would name a list, which only the file sets, and the key path each names.
    static var listVariables: [String: String] {
        var table: [String: String] = ["HERALD_API_KEYS": "api_keys", "HERALD_APPS": "apps"]
        for (section, type) in mappingSections {
            for key in type.listKeys { table[variableName(section, key)] = "\(section).\(key)" }
        }
        return table
    }

    static func variableName(_ section: String, _ key: String) -> String {
        "HERALD_\(section.uppercased())_\(key.uppercased())"
    }

    /// Sets scalar keys from `HERALD_<SECTION>_<KEY>` variables; reports variables that name no scalar key.
    static func applyEnvironment(
        _ environment: [String: String], to root: inout ConfigNode, with reader: inout ConfigReader
    ) {
        let overrides = environmentOverrides
        let lists = listVariables
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("HERALD_") {
            if wiringEnvironmentVariables.contains(name) { continue }
            if let (section, key) = overrides[name] {
                root.set(section: section, key: key, to: ConfigNode(.scalar(value)))
                reader.origins["\(section).\(key)"] = name
            } else if let keyPath = lists[name] {
                reader.report(
                    ConfigProblem(
                        keyPath: name, message: "\(keyPath) is a list, which only the configuration file sets"))
            } else {
                let known = (Array(overrides.keys) + Array(wiringEnvironmentVariables)).sorted()
                let hint = NameSuggestion.closest(to: name, in: known).map { " (did you mean \($0)?)" } ?? ""
                reader.report(
                    ConfigProblem(
                        keyPath: name,
                        message: "not a Herald setting\(hint); HERALD_<SECTION>_<KEY> names a scalar key of the "
                            + "configuration file (see docs/configuration.md)"))
            }
        }
    }

    /// Sets `auth.jwt_secret` from the `jwt_secret` credential when the directory holds a non-empty one. An
    /// empty credential is the units' fallback (`SetCredential=jwt_secret:` plus a newline) for a machine
    /// without `/etc/herald/jwt_secret`, and leaves the file's secret in force.
    static func applyCredentials(from directory: String, to root: inout ConfigNode, with reader: inout ConfigReader) {
        let path = (directory as NSString).appendingPathComponent(jwtSecretCredential)
        guard FileManager.default.fileExists(atPath: path) else { return }
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(validating: data, as: UTF8.self)
        else {
            reader.report(ConfigProblem(keyPath: path, message: "cannot be read as UTF-8 text; check the credential"))
            return
        }
        var secret = Substring(text)
        while let last = secret.last, last.isNewline { secret = secret.dropLast() }
        guard !secret.isEmpty else { return }
        root.set(section: "auth", key: "jwt_secret", to: ConfigNode(.scalar(String(secret))))
        reader.origins["auth.jwt_secret"] = path
    }
}
