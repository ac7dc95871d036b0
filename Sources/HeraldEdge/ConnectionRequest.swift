import HeraldModel
import NIOHTTP1

/// What the edge reads from an upgrade request: the path, the token (`?token=` first, then `Authorization`),
/// and the `Origin`.
public struct ConnectionRequest: Sendable, Hashable {
    public var path: String
    /// The token without any `Bearer ` prefix; `nil` when the request carries none, so the first message must.
    public var token: String?
    public var origin: String?
    /// The query string, without the `?`.
    public var query: String

    public init(uri: String, headers: HTTPHeaders) {
        let query: Substring
        if let mark = uri.firstIndex(of: "?") {
            path = String(uri[..<mark])
            query = uri[uri.index(after: mark)...]
        } else {
            path = uri
            query = ""
        }
        self.query = String(query)
        if path.count > 1, path.hasSuffix("/") { path.removeLast() }
        origin = headers.first(name: "origin")
        if let fromQuery = Self.queryValue(named: "token", in: query) {
            token = SessionCore.bareToken(fromQuery)
        } else if let header = headers.first(name: "authorization") {
            token = SessionCore.bareToken(header)
        } else {
            token = nil
        }
    }

    /// The first value of `name` in the query string, form-decoded; nil when it is absent.
    public func queryValue(named name: String) -> String? {
        Self.queryValue(named: name, in: query[...])
    }

    /// The first value of `name` in a query string, decoded the way browsers encode forms (`%XX`, `+` for space);
    /// nil when it is absent or its escapes are malformed.
    static func queryValue(named name: String, in query: Substring) -> String? {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard FormDecoding.decode(parts[0]) == name else { continue }
            return parts.count > 1 ? FormDecoding.decode(parts[1]) : ""
        }
        return nil
    }
}
