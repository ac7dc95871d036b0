import Foundation
import Yams

extension HeraldConfiguration {
    /// Loads a configuration file, then applies the `jwt_secret` credential and `HERALD_*` environment
    /// variables. Relative `auth.public_keys` paths are taken relative to the file's directory.
    ///
    /// - Parameters:
    ///   - environment: Variables to read `HERALD_*` overrides (and `CREDENTIALS_DIRECTORY`) from.
    ///   - credentialsDirectory: Where systemd put the service's credentials; `nil` reads
    ///     `CREDENTIALS_DIRECTORY` from `environment`.
    /// - Throws: `ConfigurationError` with every problem found.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        credentialsDirectory: String? = nil
    ) throws(ConfigurationError) -> HeraldConfiguration {
        func unreadable(_ reason: String) -> ConfigurationError {
            ConfigurationError(source: path, problems: [ConfigProblem(keyPath: "", message: reason)])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw unreadable("no such file; pass the path of a herald.yaml (the shipped one is etc/herald/herald.yaml)")
        }
        guard !isDirectory.boolValue else { throw unreadable("is a directory; pass the path of a herald.yaml") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw unreadable("cannot be read; check its permissions")
        }
        guard let yaml = String(validating: data, as: UTF8.self) else { throw unreadable("is not UTF-8 text") }
        let directory = (path as NSString).deletingLastPathComponent
        return try load(
            yaml: yaml, source: path, environment: environment, credentialsDirectory: credentialsDirectory,
            baseDirectory: directory.isEmpty ? "." : directory)
    }

    /// Loads a configuration from YAML text, then applies the `jwt_secret` credential and `HERALD_*`
    /// environment variables (precedence: text < credential < environment). Missing keys take their defaults;
    /// empty text is the defaults.
    ///
    /// - Parameters:
    ///   - source: How to name the text in `ConfigurationError`.
    ///   - environment: Variables to read `HERALD_*` overrides (and `CREDENTIALS_DIRECTORY`) from.
    ///   - credentialsDirectory: Where systemd put the service's credentials; `nil` reads
    ///     `CREDENTIALS_DIRECTORY` from `environment`.
    /// - Throws: `ConfigurationError` with every problem found.
    public static func load(
        yaml: String, source: String = "configuration",
        environment: [String: String] = ProcessInfo.processInfo.environment, credentialsDirectory: String? = nil
    ) throws(ConfigurationError) -> HeraldConfiguration {
        try load(
            yaml: yaml, source: source, environment: environment, credentialsDirectory: credentialsDirectory,
            baseDirectory: nil)
    }

    static func load(
        yaml: String, source: String, environment: [String: String], credentialsDirectory: String?,
        baseDirectory: String?
    ) throws(ConfigurationError) -> HeraldConfiguration {
        var root: ConfigNode
        do {
            root = try Yams.compose(yaml: yaml).map(ConfigNode.init) ?? ConfigNode(.null)
        } catch {
            throw ConfigurationError(source: source, problems: [Self.problem(parsing: error)])
        }
        var reader = ConfigReader()
        if let directory = credentialsDirectory ?? environment["CREDENTIALS_DIRECTORY"] {
            applyCredentials(from: directory, to: &root, with: &reader)
            applyKeyCredentials(from: directory, to: &root)
        }
        applyEnvironment(environment, to: &root, with: &reader)
        let configuration = HeraldConfiguration(reading: root, with: &reader, baseDirectory: baseDirectory)
        guard reader.problems.isEmpty else { throw ConfigurationError(source: source, problems: reader.problems) }
        return configuration
    }

    /// Turns a YAML syntax error into a problem that names the line and says what the parser expected.
    static func problem(parsing error: any Error) -> ConfigProblem {
        switch error {
        case YamlError.scanner(let context, let problem, let mark, _),
            YamlError.parser(let context, let problem, let mark, _),
            YamlError.composer(let context, let problem, let mark, _):
            let during = context.map { " \($0.text)" } ?? ""
            return ConfigProblem(
                keyPath: "", message: "not valid YAML: \(problem)\(during) at line \(mark.line), column \(mark.column)",
                line: mark.line)
        case YamlError.duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return ConfigProblem(
                keyPath: "", message: "duplicate key \(keys) in one mapping; keep one of each", line: context.mark.line)
        default:
            return ConfigProblem(keyPath: "", message: "not valid YAML: \(error)")
        }
    }
}
