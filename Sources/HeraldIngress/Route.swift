import NIOHTTP1

/// The endpoints herald-ingress serves (docs/laravel.md lists the Pusher ones), and how a request line maps onto them.
///
/// Matching is pure so the table can be tested without a socket: after the query string is cut off, the path is
/// compared exactly with `table`, then with the placeholders of `patterns`.
public enum Route: Sendable, Hashable {
    /// `POST /api/broadcast` and `POST /api/events`.
    case publish(PublishEndpoint)
    /// `POST /api/rooms/{roomId}/events`: an app's event to one room, authenticated with the app's secret.
    case roomEvent(roomID: String)
    /// `POST /apps/{appId}/events` and `POST /apps/{appId}/batch_events`, signed the Pusher way.
    case pusher(appID: String, PusherEndpoint)
    /// The Pusher channel-state and user endpoints, signed the Pusher way. `appID` is nil for
    /// `POST /users/{userId}/terminate_connections`, the path Pusher's Python library (3.3) posts to: the app is
    /// then the one whose key signed the request.
    case pusherQuery(appID: String?, PusherQueryEndpoint)
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

    /// Routes whose paths carry a parameter; `route` is given the captured segments.
    static let patterns: [(method: HTTPMethod, pattern: RoutePattern, route: @Sendable ([String]) -> Route)] = [
        (.POST, RoutePattern("/api/rooms/{roomId}/events"), { .roomEvent(roomID: $0[0]) }),
        (.POST, RoutePattern("/apps/{appId}/events"), { .pusher(appID: $0[0], .events) }),
        (.POST, RoutePattern("/apps/{appId}/batch_events"), { .pusher(appID: $0[0], .batchEvents) }),
        (.GET, RoutePattern("/apps/{appId}/channels"), { .pusherQuery(appID: $0[0], .channels) }),
        (.GET, RoutePattern("/apps/{appId}/channels/{channel}"), { .pusherQuery(appID: $0[0], .channel($0[1])) }),
        (
            .GET, RoutePattern("/apps/{appId}/channels/{channel}/users"),
            { .pusherQuery(appID: $0[0], .users(channel: $0[1])) }
        ),
        (
            .POST, RoutePattern("/apps/{appId}/users/{userId}/terminate_connections"),
            { .pusherQuery(appID: $0[0], .terminateConnections(userID: $0[1])) }
        ),
        (
            .POST, RoutePattern("/users/{userId}/terminate_connections"),
            { .pusherQuery(appID: nil, .terminateConnections(userID: $0[0])) }
        ),
    ]

    /// Resolves a request's method and URI (`/api/events?x=1`) to a route.
    public static func match(method: HTTPMethod, uri: String) -> Match {
        let path = Self.path(of: uri)
        if let exact = table.first(where: { $0.method == method && $0.path == path }) { return .route(exact.route) }
        var candidates = table.filter { $0.path == path }.map { entry in (entry.method, { entry.route }) }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for entry in patterns {
            guard let captures = entry.pattern.match(segments) else { continue }
            candidates.append((entry.method, { entry.route(captures) }))
        }
        guard !candidates.isEmpty else { return .notFound(path: path) }
        guard let entry = candidates.first(where: { $0.0 == method }) else {
            return .methodNotAllowed(path: path, allowed: candidates.map(\.0))
        }
        return .route(entry.1())
    }

    /// The path part of a request target: everything before `?` or `#`.
    static func path(of uri: String) -> String {
        guard let end = uri.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return uri }
        return String(uri[..<end])
    }
}
