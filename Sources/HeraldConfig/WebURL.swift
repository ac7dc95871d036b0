/// The shape check Herald applies to the http(s) URLs it calls (webhooks, the auth hook).
enum WebURL {
    /// `http://` or `https://` followed by a host, with no spaces.
    static func isValid(_ text: String) -> Bool {
        for scheme in ["http://", "https://"] where text.lowercased().hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            return !rest.isEmpty && !rest.hasPrefix("/") && !rest.contains(" ")
        }
        return false
    }
}
