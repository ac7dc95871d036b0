import NIOHTTP1
import Testing

@testable import HeraldIngress

@Suite("Route")
struct RouteTests {
    @Test(arguments: [
        (HTTPMethod.POST, "/api/broadcast", Route.publish(.broadcast)),
        (.POST, "/api/events", .publish(.events)),
        (.POST, "/api/events?debug=1", .publish(.events)),
        (.GET, "/health", .health),
        (.GET, "/api/ws/info", .info),
        (.POST, "/apps/lottery/events?auth_key=k", .pusher(appID: "lottery", .events)),
        (.POST, "/apps/3/batch_events", .pusher(appID: "3", .batchEvents)),
        (.POST, "/api/rooms/42/events", .roomEvent(roomID: "42")),
        (.POST, "/api/rooms/quiz-7/events?x=1", .roomEvent(roomID: "quiz-7")),
    ])
    func knownRoutes(_ method: HTTPMethod, _ uri: String, _ route: Route) {
        #expect(Route.match(method: method, uri: uri) == .route(route))
    }

    @Test func wrongMethodNamesWhatIsAllowed() {
        #expect(
            Route.match(method: .GET, uri: "/api/broadcast")
                == .methodNotAllowed(path: "/api/broadcast", allowed: [.POST]))
        #expect(Route.match(method: .DELETE, uri: "/health?x") == .methodNotAllowed(path: "/health", allowed: [.GET]))
    }

    @Test func pusherRoutesTakeOnlyPost() {
        #expect(
            Route.match(method: .GET, uri: "/apps/lottery/events?x=1")
                == .methodNotAllowed(path: "/apps/lottery/events", allowed: [.POST]))
    }

    @Test(arguments: [
        "/", "/api", "/api/broadcast/", "/API/EVENTS", "/healthz", "*", "", "/apps//events", "/apps/lottery/events/",
        "/apps/lottery", "/apps/lottery/channels/", "/apps/lottery/channels//users", "/users//terminate_connections",
        "/apps/lottery/users/7/terminate_connections/", "/api/rooms//events", "/api/rooms/42", "/api/rooms/42/events/",
    ])
    func unknownPaths(_ uri: String) {
        guard case .notFound = Route.match(method: .POST, uri: uri) else {
            Issue.record("\(uri) should not match a route")
            return
        }
    }
}
