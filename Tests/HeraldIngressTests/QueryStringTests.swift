import HeraldAppSigning
import Testing

@testable import HeraldIngress

@Suite("QueryString")
struct QueryStringTests {
    @Test func decodesFormEncoding() {
        let parameters = QueryString.parameters(of: "/apps/1/channels?info=user_count%2Csubscription_count&a=b+c&e=&f")
        #expect(
            parameters == [
                QueryParameter("info", "user_count,subscription_count"), QueryParameter("a", "b c"),
                QueryParameter("e", ""), QueryParameter("f", ""),
            ])
        #expect(QueryString.parameters(of: "/apps/1/events") == [])
        #expect(QueryString.parameters(of: "/p?name=caf%C3%A9#frag") == [QueryParameter("name", "café")])
    }

    @Test(arguments: ["/p?x=%", "/p?x=%4", "/p?x=%zz", "/p?x=%FF"])
    func refusesMalformedEscapes(_ uri: String) {
        #expect(QueryString.parameters(of: uri) == nil)
    }
}
