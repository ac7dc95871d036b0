import HeraldModel
import NIOHTTP1

/// The id that ties a request to its logs: the client's `X-Request-Id` when it sent a sensible one (so ids
/// flow through from the publisher's own logs), else a fresh time-ordered `req_…`.
public enum RequestID {
    public static let header = "X-Request-Id"
    /// The longest client-supplied id echoed back.
    public static let maximumLength = 128

    /// The id for a request with these headers.
    public static func of(_ headers: HTTPHeaders) -> String {
        if let given = headers.first(name: header), isAcceptable(given) { return given }
        return generate()
    }

    /// 1–128 bytes of visible ASCII: safe to echo in a header and to put in logs.
    public static func isAcceptable(_ id: String) -> Bool {
        (1...maximumLength).contains(id.utf8.count) && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    public static func generate() -> String {
        "req_" + EventID.generate().rawValue.dropFirst(4)
    }
}
