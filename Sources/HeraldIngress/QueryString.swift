import HeraldAppSigning
import HeraldModel

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
            guard let name = FormDecoding.decode(parts[0]),
                let value = FormDecoding.decode(parts.count > 1 ? parts[1] : "")
            else { return nil }
            parameters.append(QueryParameter(name, value))
        }
        return parameters
    }

}
