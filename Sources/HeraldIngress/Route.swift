import NIOHTTP1

/// The endpoints herald-ingress serves (DESIGN.md §4), and how a request line maps onto them.
///
/// Matching is pure so the table can be tested without a socket: the path is compared exactly, after the
/// query string is cut off.
public enum Route: Sendable, Hashable {
    /// `POST /api/broadcast` and `POST /api/events`.
    case publish(PublishEndpoint)
    /// `GET /health`: every stage's state.
    case health
    /// `GET /api/ws/info`: version and features, without authentication.
    case info

    /// What a request line resolves to.
    public enum Match: Sendable, Equatable {
        case route(Route)
        /// No endpoint has this path.
        case notFound(path: String)
        /// The path exists but not with this method; `allowed` goes into the `Allow` header.
        case methodNotAllowed(path: String, allowed: [HTTPMethod])
    }

    /// Every route with its method and path, in the order they are documented.
    public static let table: [(method: HTTPMethod, path: String, route: Route)] = [
        (.POST, "/api/broadcast", .publish(.broadcast)),
        (.POST, "/api/events", .publish(.events)),
        (.GET, "/health", .health),
        (.GET, "/api/ws/info", .info),
    ]

    /// Resolves a request's method and URI (`/api/events?x=1`) to a route.
    public static func match(method: HTTPMethod, uri: String) -> Match {
        let path = Self.path(of: uri)
        let candidates = table.filter { $0.path == path }
        guard !candidates.isEmpty else { return .notFound(path: path) }
        guard let entry = candidates.first(where: { $0.method == method }) else {
            return .methodNotAllowed(path: path, allowed: candidates.map(\.method))
        }
        return .route(entry.route)
    }

    /// The path part of a request target: everything before `?` or `#`.
    static func path(of uri: String) -> String {
        guard let end = uri.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return uri }
        return String(uri[..<end])
    }
}
