/// `ingress`: the HTTP publish API (`herald-ingress`), where backends publish events.
public struct IngressConfig: Sendable, Equatable {
    /// Address bound when ingress is not socket-activated. Default `127.0.0.1:6002`.
    public var listen: ListenAddress
    /// Largest request body accepted; larger requests get 413. Default 1 MiB.
    public var maxBodyBytes: Int
    /// Accepted events kept until the pipeline settles them, so they can be resent after a stage restarts; when
    /// the buffer is full, publishes get 503 rather than being dropped. Default 10,000.
    public var resendBufferEvents: Int
    /// Seconds a publish waits for the pipeline to take its event before answering 503. Default 10.
    public var acceptTimeoutSeconds: Int

    public init(
        listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 6002), maxBodyBytes: Int = 1_048_576,
        resendBufferEvents: Int = 10_000, acceptTimeoutSeconds: Int = 10
    ) {
        self.listen = listen
        self.maxBodyBytes = maxBodyBytes
        self.resendBufferEvents = resendBufferEvents
        self.acceptTimeoutSeconds = acceptTimeoutSeconds
    }

    public var acceptTimeout: Duration { .seconds(acceptTimeoutSeconds) }
}

extension IngressConfig: ConfigSection {
    static let scalarKeys = ["listen", "max_body_bytes", "resend_buffer_events", "accept_timeout_seconds"]

    init(reading fields: ConfigFields, with reader: inout ConfigReader) {
        self.init()
        listen = reader.listenAddress(fields, "listen", default: listen)
        maxBodyBytes = reader.integer(fields, "max_body_bytes", default: maxBodyBytes, atLeast: 1)
        resendBufferEvents = reader.integer(fields, "resend_buffer_events", default: resendBufferEvents, atLeast: 1)
        acceptTimeoutSeconds = reader.integer(
            fields, "accept_timeout_seconds", default: acceptTimeoutSeconds, atLeast: 1)
    }
}
