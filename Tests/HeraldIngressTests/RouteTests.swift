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

    @Test(arguments: ["/", "/api", "/api/broadcast/", "/API/EVENTS", "/healthz", "*", ""])
    func unknownPaths(_ uri: String) {
        guard case .notFound = Route.match(method: .POST, uri: uri) else {
            Issue.record("\(uri) should not match a route")
            return
        }
    }
}
