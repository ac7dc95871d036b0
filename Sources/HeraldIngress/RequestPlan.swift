/// What ingress will do with a request once its head is read, decided before any of the body is buffered.
public enum RequestPlan: Sendable {
    /// Answer at once and close the connection, without reading the body (413 for a declared oversize body).
    case refuse(IngressResponse)
    /// Read and drop the body, then send this answer (404, 405, 401, 403, `/api/ws/info`).
    case respond(IngressResponse)
    /// Read and drop the body, then ask every stage's health.
    case health
    /// Collect the body (up to the limit), then parse it and hand its events to the authorizer.
    case publish(PublishEndpoint)
    /// A Pusher trigger whose signed head was accepted: collect the body, check it against the signed `body_md5`,
    /// then parse it and hand its events to the authorizer.
    case pusherPublish(PusherPublish)
    /// A Pusher channel-state question or `terminate_connections` whose signed head was accepted: collect the
    /// (empty or `{}`) body, check it against the signed `body_md5`, then ask the edges through the pipeline.
    case pusherQuery(PusherQuery)
    /// An app's room event whose credentials, permission and room id were accepted: collect the body, parse it,
    /// apply the room's rate limit, check that the room exists, then hand the event to the authorizer.
    case roomEvent(RoomEventTarget)

    /// Whether the body is worth buffering.
    public var collectsBody: Bool {
        switch self {
        case .publish, .pusherPublish, .pusherQuery, .roomEvent: true
        case .refuse, .respond, .health: false
        }
    }
}

/// Where a room event goes: the authenticated app and the room named in the path.
public struct RoomEventTarget: Sendable, Hashable {
    public var appID: String
    public var roomID: String

    public init(appID: String, roomID: String) {
        self.appID = appID
        self.roomID = roomID
    }
}
