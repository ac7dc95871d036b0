import HeraldModel

/// `edge.allowed_origins`: which browser origins may open a WebSocket. `*` allows any; a `*` inside an entry
/// matches any run of characters (`https://*.example.com`). Requests without an `Origin` header come from
/// non-browser clients and are allowed.
public struct OriginPolicy: Sendable {
    private let patterns: [GlobPattern]
    private let allowsAll: Bool

    public init(allowed: [String]) {
        patterns = allowed.map(GlobPattern.init)
        allowsAll = allowed.contains("*")
    }

    public func allows(_ origin: String?) -> Bool {
        guard let origin, !allowsAll else { return true }
        let lowered = origin.lowercased()
        return patterns.contains { $0.matches(lowered) || $0.matches(origin) }
    }
}
