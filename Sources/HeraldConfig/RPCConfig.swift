/// `apps[].rpc`: client events that are calls to the app's backend rather than messages to a room.
///
/// An event named in `events`, sent by a client on `room.{roomId}`, is not delivered: the authorizer POSTs
/// it to `url`, signed with the app's secret, and the backend's JSON answer becomes the client's
/// acknowledgement.
public struct RPCConfig: Sendable, Equatable {
    /// The `http://` or `https://` URL to POST calls to; `nil` (the default) when the app takes none.
    public var url: String?
    /// The event names that are calls. Default none.
    public var events: [String]
    /// Milliseconds to wait for the backend before answering `UNAVAILABLE`. Default 3000.
    public var timeoutMilliseconds: Int

    public init(url: String? = nil, events: [String] = [], timeoutMilliseconds: Int = 3000) {
        self.url = url
        self.events = events
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

extension RPCConfig {
    static let keys = ["url", "events", "timeout_ms"]

    init(reading fields: ConfigFields, with reader: inout ConfigReader) {
        self.init()
        url = reader.optionalString(fields, "url", default: url)
        if let url, !WebURL.isValid(url) {
            reader.report(
                fields.path("url"), "must be an http:// or https:// URL, or null for no calls (got \"\(url)\")",
                node: fields["url"])
        }
        events = reader.stringList(fields, "events", default: events)
        for (index, event) in events.enumerated() where !EventNameCharacters.isValid(event) {
            reader.report(
                "\(fields.path("events"))[\(index)]",
                "must be an event name: 1-200 of A-Z a-z 0-9 _ . : - (got \"\(event)\")")
        }
        if !events.isEmpty, url == nil {
            reader.report(
                fields.path("url"), "must be set when rpc.events lists calls: the backend URL that answers them",
                line: fields["url"]?.line ?? fields.line)
        }
        timeoutMilliseconds = reader.integer(
            fields, "timeout_ms", default: timeoutMilliseconds, atLeast: 1, atMost: 60_000)
    }
}

/// The characters of an event name, checked where the configuration names one.
enum EventNameCharacters {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 200
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.:-".contains($0)) }
    }
}
