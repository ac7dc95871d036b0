/// A TCP address to bind, written `host:port` (`127.0.0.1:6002`, `0.0.0.0:6001`, `localhost:6001`) or, for
/// IPv6, `[host]:port` (`[::1]:6001`, `[::]:6001`).
///
/// Daemons bind it themselves only when they are not socket-activated.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host without brackets: an IPv4 address, an IPv6 address, or a host name.
    public var host: String
    /// 0–65535; 0 asks the system for a free port.
    public var port: Int

    /// Wraps values already known to be valid.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Why a text is not a listen address, phrased as what to write instead.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var text: String
        public var reason: String

        public init(text: String, reason: String) {
            self.text = text
            self.reason = reason
        }

        public var description: String { "\"\(text)\" is not a listen address: \(reason)" }
    }

    /// Parses `host:port` or `[ipv6]:port`.
    public init(parsing text: String) throws(ParseError) {
        func fail(_ reason: String) -> ParseError { ParseError(text: text, reason: reason) }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw fail("an IPv6 address needs a closing \"]\"") }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw fail("needs \":port\" after \"]\", as in [::1]:6001") }
            portText = rest.dropFirst()
            guard Self.isIPv6(host) else {
                throw fail("\"[\(host)]\" is not an IPv6 address")
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw fail("must be host:port, as in 127.0.0.1:6002")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { throw fail("an IPv6 address needs brackets, as in [::1]:6001") }
            guard !host.isEmpty else { throw fail("needs a host before the port, as in 0.0.0.0:6001") }
            guard host.allSatisfy(Self.isHostCharacter) else {
                throw fail("\"\(host)\" is not a host name or IPv4 address")
            }
        }
        guard (1...5).contains(portText.count), portText.allSatisfy(\.isASCIIDigit), let port = Int(portText),
            port <= 65535
        else { throw fail("the port must be a number from 0 to 65535") }
        self.init(host: String(host), port: port)
    }

    /// Whether the host is an IPv6 address.
    public var isIPv6: Bool { host.contains(":") }

    /// The text form `ListenAddress(parsing:)` reads back.
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    private static func isHostCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_")
    }

    /// Hex digits, colons and dots (for IPv4-mapped forms), then an optional `%zone`.
    private static func isIPv6(_ host: Substring) -> Bool {
        let parts = host.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)
        let address = parts[0]
        let zoneIsValid = parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(isHostCharacter))
        return address.contains(":") && address.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } && zoneIsValid
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
