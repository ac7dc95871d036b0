import HeraldConfig

/// Loads YAML with a controlled environment (never the test process's own).
func load(_ yaml: String, environment: [String: String] = [:], credentials: String? = nil) throws(ConfigurationError)
    -> HeraldConfiguration
{
    try HeraldConfiguration.load(yaml: yaml, environment: environment, credentialsDirectory: credentials)
}

/// The problems loading reports, as `keyPath: message` lines; empty when loading succeeds.
func problems(_ yaml: String, environment: [String: String] = [:], credentials: String? = nil) -> [String] {
    do {
        _ = try load(yaml, environment: environment, credentials: credentials)
        return []
    } catch {
        return error.problems.map(\.description)
    }
}

/// Paths of files in the repository, found from this file's location.
enum Repository {
    static let root: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/HeraldConfigTests/Loading.swift
        return parts.joined(separator: "/")
    }()

    static func path(_ relative: String) -> String { "\(root)/\(relative)" }
}
