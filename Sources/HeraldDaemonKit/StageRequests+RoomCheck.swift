extension StageRequests {
    /// `room-check` (ingress → authorizer): does a room exist, before an app's room event is published to it.
    public static let roomCheck = "room-check"

    /// `room-check {app, room}` → `RoomPresence {exists: true}`, or the error `ROOM_NOT_FOUND` when the backend
    /// says the room does not exist, or `UNAVAILABLE` when the backend could not say.
    public struct RoomCheck: Codable, Sendable, Hashable {
        /// The app publishing to the room (its `apps` id).
        public var app: String
        /// The room id, as it appears in `POST /api/rooms/{roomId}/events` and in the channel `room.{roomId}`.
        public var room: String

        public init(app: String, room: String) {
            self.app = app
            self.room = room
        }
    }

    /// The answer to `room-check` when the room exists.
    public struct RoomPresence: Codable, Sendable, Hashable {
        public var exists: Bool

        public init(exists: Bool) { self.exists = exists }
    }
}
