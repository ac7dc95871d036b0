/// One entry of `api_keys`: a bearer key for the publish API and what it may do.
public struct APIKey: Sendable, Equatable {
    /// What an API key may do.
    public enum Scope: String, Sendable, CaseIterable {
        /// `POST /api/broadcast` and `POST /api/events`.
        case publish
        /// `GET /api/ws/stats`.
        case stats
    }

    /// The secret sent as `Authorization: Bearer <key>`.
    public var key: String
    public var scopes: [Scope]

    public init(key: String, scopes: [Scope]) {
        self.key = key
        self.scopes = scopes
    }

    /// The development key the shipped configuration carries.
    public static let development = APIKey(key: "dev-api-key", scopes: [.publish, .stats])

    public func allows(_ scope: Scope) -> Bool { scopes.contains(scope) }
}

extension APIKey {
    static let keys = ["key", "scopes"]

    static func read(_ node: ConfigNode, at path: String, with reader: inout ConfigReader) -> APIKey? {
        guard let fields = reader.fields(node, at: path, known: keys) else { return nil }
        let key = reader.requiredString(fields, "key")
        let scopes: [Scope] = reader.list(fields, "scopes", default: []) { reader, node, path in
            reader.choice(node, at: path)
        }
        switch fields["scopes"]?.value {
        case nil: reader.report(fields.path("scopes"), "is required (publish, stats)", line: fields.line)
        case .sequence(let items) where items.isEmpty:
            reader.report(fields.path("scopes"), "must list at least one of publish, stats", node: fields["scopes"])
        default: break
        }
        // A missing key is reported above; the entry is kept so later entries keep their indexes in checks.
        return APIKey(key: key ?? "", scopes: scopes)
    }
}
