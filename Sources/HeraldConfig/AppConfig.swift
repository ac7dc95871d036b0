/// One entry of `apps`: a Pusher-protocol app, which may also publish room events.
public struct AppConfig: Sendable, Equatable {
    /// The permission that lets an app publish to `POST /api/rooms/{roomId}/events`.
    public static let publishPermission = "realtime:publish"

    /// App id: used in URLs (`/apps/{id}/…`) and as the prefix of its room events (`<id>:`).
    public var id: String
    /// Public key clients connect with (`/app/{key}`).
    public var key: String
    /// Signs Pusher HTTP requests and channel auth; authenticates room events as `Bearer <secret>`.
    public var secret: String
    /// What the app may do, such as `realtime:publish`. Default none.
    public var permissions: [String]
    /// http(s) URLs told about channel and presence changes. Default none.
    public var webhooks: [String]
    /// Client events that are calls to the app's backend. Default none.
    public var rpc: RPCConfig

    public init(
        id: String, key: String, secret: String, permissions: [String] = [], webhooks: [String] = [],
        rpc: RPCConfig = RPCConfig()
    ) {
        self.id = id
        self.key = key
        self.secret = secret
        self.permissions = permissions
        self.webhooks = webhooks
        self.rpc = rpc
    }

    /// The development app the shipped configuration carries.
    public static let lottery = AppConfig(
        id: "lottery", key: "lottery-key", secret: "lottery-secret", permissions: [publishPermission])

    public func has(permission: String) -> Bool { permissions.contains(permission) }

    /// The app whose `rpc.events` names `event`, among `apps`.
    public static func rpcApp(for event: String, in apps: [AppConfig]) -> AppConfig? {
        apps.first { $0.rpc.url != nil && $0.rpc.events.contains(event) }
    }
}

extension AppConfig {
    static let keys = ["id", "key", "secret", "permissions", "webhooks", "rpc"]

    static func read(_ node: ConfigNode, at path: String, with reader: inout ConfigReader) -> AppConfig? {
        guard let fields = reader.fields(node, at: path, known: keys) else { return nil }
        let id = reader.requiredString(fields, "id")
        if let id, !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
            reader.report(
                fields.path("id"), "must be letters, digits, \"_\" and \"-\" only (got \"\(id)\")", node: fields["id"])
        }
        let key = reader.requiredString(fields, "key")
        let secret = reader.requiredString(fields, "secret")
        let permissions = reader.stringList(fields, "permissions", default: [])
        let webhooks = reader.list(fields, "webhooks", default: []) { reader, node, path -> String? in
            guard let url = reader.nonEmptyString(node, at: path) else { return nil }
            guard WebURL.isValid(url) else {
                reader.report(path, "must be an http:// or https:// URL (got \(node.summary))", node: node)
                return nil
            }
            return url
        }
        var rpc = RPCConfig()
        if let rpcFields = reader.fields(fields["rpc"], at: fields.path("rpc"), known: RPCConfig.keys) {
            rpc = RPCConfig(reading: rpcFields, with: &reader)
        }
        // Missing fields are reported above; the entry is kept so duplicate checks still see its id and key.
        return AppConfig(
            id: id ?? "", key: key ?? "", secret: secret ?? "", permissions: permissions, webhooks: webhooks,
            rpc: rpc)
    }
}
