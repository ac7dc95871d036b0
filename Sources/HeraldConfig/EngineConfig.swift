/// `engine`: where channel state (offsets, history, presence) lives.
public struct EngineConfig: Sendable, Equatable {
    public enum EngineType: String, Sendable, CaseIterable {
        /// In the batcher's memory: one host. The default.
        case memory
        /// In Redis, shared by several hosts.
        case redis
    }

    /// Default `memory`.
    public var type: EngineType
    /// Redis URL (`redis://host:port[/db]`, `rediss://` for TLS); required for `redis`. Default `nil`.
    public var url: String?

    public init(type: EngineType = .memory, url: String? = nil) {
        self.type = type
        self.url = url
    }
}

extension EngineConfig: ConfigSection {
    static let scalarKeys = ["type", "url"]

    init(reading fields: ConfigFields, with reader: inout ConfigReader) {
        self.init()
        type = reader.choice(fields, "type", default: type)
        url = reader.optionalString(fields, "url", default: url)
    }
}
