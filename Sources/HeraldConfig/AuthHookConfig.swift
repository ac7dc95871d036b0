/// `auth.hook`: the backend authorization hook, asked about channels whose rule says `hook`.
///
/// The authorizer POSTs `{"user","roles","channel","socket_id"}` to `url` with `Authorization: Bearer <secret>`;
/// `200 {"allow": true}` allows, any other answer denies. Answers are cached for `cacheSeconds`.
public struct AuthHookConfig: Sendable, Equatable {
    /// The `http://` or `https://` URL to POST to; `nil` (the default) means no hook, so `hook` rules deny.
    public var url: String?
    /// Sent as `Authorization: Bearer <secret>`; `nil` (the default) sends no `Authorization` header.
    public var secret: String?
    /// Milliseconds to wait for an answer before denying. Default 2000.
    public var timeoutMilliseconds: Int
    /// Seconds an answer (allow or deny) is reused for the same user, roles, channel and connection. Default 60.
    public var cacheSeconds: Int

    public init(url: String? = nil, secret: String? = nil, timeoutMilliseconds: Int = 2000, cacheSeconds: Int = 60) {
        self.url = url
        self.secret = secret
        self.timeoutMilliseconds = timeoutMilliseconds
        self.cacheSeconds = cacheSeconds
    }
}

extension AuthHookConfig {
    static let keys = ["url", "secret", "timeout_ms", "cache_seconds"]

    init(reading fields: ConfigFields, with reader: inout ConfigReader) {
        self.init()
        url = reader.optionalString(fields, "url", default: url)
        if let url, !WebURL.isValid(url) {
            reader.report(
                fields.path("url"), "must be an http:// or https:// URL, or null for no hook (got \"\(url)\")",
                node: fields["url"])
        }
        secret = reader.optionalString(fields, "secret", default: secret)
        timeoutMilliseconds = reader.integer(
            fields, "timeout_ms", default: timeoutMilliseconds, atLeast: 1, atMost: 60_000)
        cacheSeconds = reader.integer(fields, "cache_seconds", default: cacheSeconds, atLeast: 0, atMost: 86_400)
    }
}
