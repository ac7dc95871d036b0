import HeraldAppSigning

/// The query of a request target, decoded into parameters the way form encoding writes them: `+` is a space and
/// `%XX` a byte. Pusher signs decoded values, so this is what the signature is checked against.
enum QueryString {
    /// The parameters of `uri`'s query, in order; `nil` when a `%` escape is malformed or decodes to invalid UTF-8.
    static func parameters(of uri: String) -> [QueryParameter]? {
        guard let start = uri.firstIndex(of: "?") else { return [] }
        var query = uri[uri.index(after: start)...]
        if let fragment = query.firstIndex(of: "#") { query = query[..<fragment] }
        var parameters: [QueryParameter] = []
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else { return nil }
            parameters.append(QueryParameter(name, value))
        }
        return parameters
    }

    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
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
