import HeraldModel

/// Herald's whole configuration, one typed value per section of `herald.yaml`.
///
/// Every field has a documented default, so an empty file is a working development setup. Build one with
/// `load(path:)` or `load(yaml:)`, which apply environment overrides and credentials and report every problem
/// at once; `HeraldConfiguration.default` is the shipped file.
public struct HeraldConfiguration: Sendable, Equatable {
    public var edge: EdgeConfig
    public var ingress: IngressConfig
    public var auth: AuthConfig
    /// Keys for the publish API. Default: one development key with every scope.
    public var apiKeys: [APIKey]
    /// Pusher apps and room-event publishers. Default: the `lottery` development app.
    public var apps: [AppConfig]
    public var channels: ChannelsConfig
    public var events: EventsConfig
    public var limits: LimitsConfig
    public var batcher: BatcherConfig
    public var engine: EngineConfig

    public init(
        edge: EdgeConfig = EdgeConfig(), ingress: IngressConfig = IngressConfig(), auth: AuthConfig = AuthConfig(),
        apiKeys: [APIKey] = [.development], apps: [AppConfig] = [.lottery], channels: ChannelsConfig = ChannelsConfig(),
        events: EventsConfig = EventsConfig(), limits: LimitsConfig = LimitsConfig(),
        batcher: BatcherConfig = BatcherConfig(), engine: EngineConfig = EngineConfig()
    ) {
        self.edge = edge
        self.ingress = ingress
        self.auth = auth
        self.apiKeys = apiKeys
        self.apps = apps
        self.channels = channels
        self.events = events
        self.limits = limits
        self.batcher = batcher
        self.engine = engine
    }

    /// The shipped `etc/herald/herald.yaml`, as `herald run` uses it when no `--config` is given. Environment
    /// variables and credentials are not applied.
    public static let `default`: HeraldConfiguration =
        (try? load(yaml: embeddedDefaultYAML, source: "built-in herald.yaml", environment: [:]))
        ?? HeraldConfiguration()

    /// Default priorities of event names, from `events.priorities`.
    public var priorityTable: PriorityTable { events.priorityTable }

    /// The API key entry for a bearer key, if it is configured.
    public func apiKey(_ key: String) -> APIKey? { apiKeys.first { $0.key == key } }

    /// The app with this id, if any.
    public func app(id: String) -> AppConfig? { apps.first { $0.id == id } }

    /// The app with this public key, if any.
    public func app(key: String) -> AppConfig? { apps.first { $0.key == key } }
}

extension HeraldConfiguration {
    /// The file's top-level keys, in the order they are documented.
    static let sectionNames = [
        "edge", "ingress", "auth", "api_keys", "apps", "channels", "events", "limits", "batcher", "engine",
    ]

    /// The sections that are mappings, whose scalar keys environment variables may override.
    static var mappingSections: [(name: String, type: any ConfigSection.Type)] {
        [
            ("edge", EdgeConfig.self), ("ingress", IngressConfig.self), ("auth", AuthConfig.self),
            ("channels", ChannelsConfig.self), ("events", EventsConfig.self), ("limits", LimitsConfig.self),
            ("batcher", BatcherConfig.self), ("engine", EngineConfig.self),
        ]
    }

    /// Reads a whole tree: every section, then the checks that span keys.
    init(reading root: ConfigNode, with reader: inout ConfigReader, baseDirectory: String?) {
        self.init()
        guard let fields = reader.fields(root, at: "", known: Self.sectionNames) else { return }
        edge = reader.section(fields, "edge")
        ingress = reader.section(fields, "ingress")
        auth = reader.section(fields, "auth")
        let apiKeys = reader.indexedList(fields["api_keys"], at: "api_keys", default: apiKeys) { reader, node, path in
            APIKey.read(node, at: path, with: &reader)
        }
        self.apiKeys = apiKeys.map(\.value)
        let apps = reader.indexedList(fields["apps"], at: "apps", default: apps) { reader, node, path in
            AppConfig.read(node, at: path, with: &reader)
        }
        self.apps = apps.map(\.value)
        channels = reader.section(fields, "channels")
        events = reader.section(fields, "events")
        limits = reader.section(fields, "limits")
        batcher = reader.section(fields, "batcher")
        engine = reader.section(fields, "engine")
        if let baseDirectory {
            auth.publicKeys = auth.publicKeys.map { $0.hasPrefix("/") ? $0 : "\(baseDirectory)/\($0)" }
        }
        reader.reportDuplicates(apiKeys.map { ($0.index, $0.value.key) }, list: "api_keys", field: "key")
        reader.reportDuplicates(apps.map { ($0.index, $0.value.id) }, list: "apps", field: "id")
        reader.reportDuplicates(apps.map { ($0.index, $0.value.key) }, list: "apps", field: "key")
        validate(with: &reader)
    }
}
