import HeraldDaemonKit
import HeraldModel
import NIOCore

/// `limits.app_events_per_second_per_room`: how many events one app may publish to one room each second, as a
/// token bucket per app and room. Pure: the time comes in as a value. Buckets of rooms that have been quiet
/// long enough to refill are forgotten now and then, so memory follows the rooms in use, not every room ever
/// published to. (`limits.app_events_per_minute` is counted by the authorizer, for every event an app
/// publishes, Pusher HTTP API included.)
public struct RoomEventLimiter: Sendable {
    /// One app's events to one room.
    public struct Key: Hashable, Sendable {
        public var app: String
        public var room: String

        public init(app: String, room: String) {
            self.app = app
            self.room = room
        }
    }

    private var windows: KeyedRateWindows<Key>

    public init(perSecondPerRoom: Int, sweepInterval: Int = 4096) {
        windows = KeyedRateWindows(limit: perSecondPerRoom, per: .seconds(1), sweepInterval: sweepInterval)
    }

    /// The limit in force; 0 is unlimited.
    public var limit: Int { windows.limit }

    /// How many app-and-room buckets are held now.
    public var count: Int { windows.count }

    /// A reloaded limit: every bucket starts over full.
    public mutating func change(perSecondPerRoom: Int) { windows.change(limit: perSecondPerRoom) }

    /// Counts one event of `key` at `now`, or refuses it with `RATE_LIMIT_EXCEEDED` and the whole seconds until
    /// the next one may go (`Retry-After`); a refused event takes nothing.
    public mutating func admit(_ key: Key, now: NIODeadline) throws(HeraldError) {
        guard let wait = windows.admit(key, now: now) else { return }
        let seconds = wait.retryAfterSeconds
        throw HeraldError(
            .rateLimitExceeded,
            "app \(key.app) may publish at most \(windows.limit) events a second to room \(key.room) "
                + "(limits.app_events_per_second_per_room); retry in \(seconds) s", retryAfter: seconds)
    }
}
