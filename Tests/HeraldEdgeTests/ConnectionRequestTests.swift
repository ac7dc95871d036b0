import NIOHTTP1
import Testing

@testable import HeraldEdge

@Suite struct ConnectionRequestTests {
    @Test func tokenComesFromTheQueryURLDecoded() {
        let request = ConnectionRequest(uri: "/ws?x=1&token=ab%2Ecd%3D%3D+e&token=second", headers: [:])
        #expect(request.path == "/ws")
        #expect(request.token == "ab.cd== e")
    }

    @Test func tokenComesFromTheAuthorizationHeaderWithOrWithoutBearer() {
        #expect(ConnectionRequest(uri: "/api/ws", headers: ["Authorization": "Bearer jwt.value"]).token == "jwt.value")
        #expect(ConnectionRequest(uri: "/api/ws", headers: ["authorization": "jwt.bare"]).token == "jwt.bare")
        #expect(
            ConnectionRequest(uri: "/ws?token=Bearer%20q", headers: ["Authorization": "Bearer h"]).token == "q")
    }

    @Test func noTokenMeansTheFirstMessageMustCarryIt() {
        let request = ConnectionRequest(uri: "/ws/", headers: ["Origin": "https://app.example"])
        #expect(request.token == nil)
        #expect(request.path == "/ws")
        #expect(request.origin == "https://app.example")
    }

    @Test func originPolicyMatchesPatterns() {
        let policy = OriginPolicy(allowed: ["https://*.example.com", "http://localhost:3000"])
        #expect(policy.allows(nil))
        #expect(policy.allows("https://shop.example.com"))
        #expect(policy.allows("http://localhost:3000"))
        #expect(!policy.allows("https://evil.test"))
        #expect(OriginPolicy(allowed: ["*"]).allows("https://anything"))
    }
}
