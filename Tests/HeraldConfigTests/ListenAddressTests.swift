import HeraldConfig
import Testing

@Suite struct ListenAddressTests {
    @Test(arguments: [
        ("127.0.0.1:6002", "127.0.0.1", 6002),
        ("0.0.0.0:0", "0.0.0.0", 0),
        ("localhost:65535", "localhost", 65535),
        ("[::1]:6001", "::1", 6001),
        ("[::]:6001", "::", 6001),
        ("[fe80::1%eth0]:80", "fe80::1%eth0", 80),
        ("[::ffff:127.0.0.1]:1", "::ffff:127.0.0.1", 1),
    ])
    func parses(text: String, host: String, port: Int) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address == ListenAddress(host: host, port: port))
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("6001", "must be host:port, as in 127.0.0.1:6002"),
        (":6001", "needs a host before the port, as in 0.0.0.0:6001"),
        ("::1:6001", "an IPv6 address needs brackets, as in [::1]:6001"),
        ("[::1]6001", "needs \":port\" after \"]\", as in [::1]:6001"),
        ("[::1:6001", "an IPv6 address needs a closing \"]\""),
        ("[nothex]:1", "\"[nothex]\" is not an IPv6 address"),
        ("host name:1", "\"host name\" is not a host name or IPv4 address"),
        ("127.0.0.1:65536", "the port must be a number from 0 to 65535"),
        ("127.0.0.1:", "the port must be a number from 0 to 65535"),
        ("127.0.0.1:-1", "the port must be a number from 0 to 65535"),
        ("127.0.0.1:+80", "the port must be a number from 0 to 65535"),
    ])
    func rejects(text: String, reason: String) {
        #expect(throws: ListenAddress.ParseError(text: text, reason: reason)) { try ListenAddress(parsing: text) }
    }

    @Test func isIPv6() throws {
        #expect(try ListenAddress(parsing: "[::1]:1").isIPv6)
        #expect(try !ListenAddress(parsing: "127.0.0.1:1").isIPv6)
    }
}
