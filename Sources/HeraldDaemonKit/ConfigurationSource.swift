import Foundation
import HeraldConfig

/// Where a daemon's configuration comes from: a file, or the embedded development default.
public struct ConfigurationSource: Sendable {
    public let path: String?

    public init(path: String?) { self.path = path }

    public func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HeraldConfiguration
    {
        if let path {
            return try HeraldConfiguration.load(path: path, environment: environment)
        }
        return try HeraldConfiguration.load(yaml: HeraldConfiguration.embeddedDefaultYAML, environment: environment)
    }
}
