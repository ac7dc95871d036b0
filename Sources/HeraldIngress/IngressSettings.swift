import HeraldConfig

/// What a request needs from the configuration, taken once per request so a reload (SIGHUP) applies to the
/// next request without locking the ones in flight.
public struct IngressSettings: Sendable {
    public var authenticator: BearerAuthenticator
    public var parser: PublishRequestParser
    /// Checks Pusher HTTP API signatures against `apps`.
    public var pusherAuthenticator: PusherAuthenticator
    public var pusherParser: PusherEventParser
    /// Checks room-event credentials (`X-App-Id` and the app's secret) against `apps`.
    public var appAuthenticator: AppAuthenticator
    public var roomEventParser: RoomEventParser
    /// `limits.app_events_per_second_per_room`; 0 is unlimited.
    public var appEventsPerSecondPerRoom: Int
    /// Whether a room event first asks the authorizer whether its room exists: only when `auth.hook.url` is set,
    /// since without a backend every room exists.
    public var checksRooms: Bool
    /// Larger request bodies get 413 (`ingress.max_body_bytes`).
    public var maxBodyBytes: Int
    /// How long a publish waits for the authorizer to take its events (`ingress.accept_timeout_seconds`).
    public var acceptTimeout: Duration
    /// Shown by `GET /api/ws/info`.
    public var engine: EngineConfig.EngineType

    public init(_ configuration: HeraldConfiguration) {
        authenticator = BearerAuthenticator(keys: configuration.apiKeys)
        parser = PublishRequestParser(priorities: configuration.priorityTable)
        pusherAuthenticator = PusherAuthenticator(apps: configuration.apps)
        pusherParser = PusherEventParser(priorities: configuration.priorityTable)
        appAuthenticator = AppAuthenticator(apps: configuration.apps)
        roomEventParser = RoomEventParser(priorities: configuration.priorityTable)
        appEventsPerSecondPerRoom = configuration.limits.appEventsPerSecondPerRoom
        checksRooms = configuration.auth.hook.url != nil
        maxBodyBytes = configuration.ingress.maxBodyBytes
        acceptTimeout = configuration.ingress.acceptTimeout
        engine = configuration.engine.type
    }
}
