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

    /// The first value of `name` in a query string, decoded the way browsers encode forms (`%XX`, `+` for space).
    static func queryValue(named name: String, in query: Substring) -> String? {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard formDecode(parts[0]) == name else { continue }
            return parts.count > 1 ? formDecode(parts[1]) : ""
        }
        return nil
    }

    static func formDecode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let high = utf8.next()
                let low = utf8.next()
                if let high, let low, let h = hexValue(high), let l = hexValue(low) {
                    bytes.append(h << 4 | l)
                } else {
                    bytes.append(byte)
                    if let high { bytes.append(high) }
                    if let low { bytes.append(low) }
                }
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
