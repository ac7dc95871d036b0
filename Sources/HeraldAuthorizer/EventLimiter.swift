import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore

/// The authorizer's event rate limits, every event passing through it once: `limits.global_events_per_minute`
/// over all events, `limits.channel_events_per_minute` per channel, `limits.client_events_per_minute` per user
/// for the events clients send through the edges, and `limits.app_events_per_minute` per app for events
/// published through the Pusher HTTP API. A limit of 0 is unlimited.
///
/// Pure: the time comes in as a value. An event is admitted only when every limit that applies to it has room,
/// and only then takes from each, so a refused event costs nothing.
struct EventLimiter: Sendable {
    /// What the limits look at in an event.
    struct Publication: Sendable, Equatable {
        var channels: [String]
        /// The user whose client sent the event through an edge; nil for events published through ingress.
        var clientUser: String?
        /// The app that published the event through the Pusher HTTP API.
        var app: String?
    }

    private(set) var limits: LimitsConfig
    private var global: KeyedRateWindows<Scope>
    private var channels: KeyedRateWindows<String>
    private var clientUsers: KeyedRateWindows<String>
    private var apps: KeyedRateWindows<String>

    /// The one key of the global window.
    enum Scope: Hashable, Sendable { case all }

    init(limits: LimitsConfig) {
        self.limits = limits
        global = KeyedRateWindows(limit: limits.globalEventsPerMinute)
        channels = KeyedRateWindows(limit: limits.channelEventsPerMinute)
        clientUsers = KeyedRateWindows(limit: limits.clientEventsPerMinute)
        apps = KeyedRateWindows(limit: limits.appEventsPerMinute)
    }

    /// A reloaded configuration: a limit that changed starts over with full windows.
    mutating func change(limits: LimitsConfig) {
        self.limits = limits
        global.change(limit: limits.globalEventsPerMinute)
        channels.change(limit: limits.channelEventsPerMinute)
        clientUsers.change(limit: limits.clientEventsPerMinute)
        apps.change(limit: limits.appEventsPerMinute)
    }

    /// Admits the event and counts it against every limit that applies, or returns the refusal to send back:
    /// `RATE_LIMIT_EXCEEDED` naming the limit that waits longest, with that wait in whole seconds.
    mutating func admit(_ publication: Publication, id: EventID, now: NIODeadline) -> EventRefusal? {
        var longest: (wait: TimeAmount, reason: String)?
        func consider(_ wait: TimeAmount?, _ reason: @autoclosure () -> String) {
            guard let wait, wait > (longest?.wait ?? .zero) else { return }
            longest = (wait, reason())
        }
        let channelNames = Self.distinct(publication.channels)
        consider(
            global.wait(.all, now: now),
            "Herald takes at most \(limits.globalEventsPerMinute) events a minute in all (limits.global_events_per_minute)"
        )
        for channel in channelNames {
            consider(
                channels.wait(channel, now: now),
                "channel \(channel) takes at most \(limits.channelEventsPerMinute) events a minute "
                    + "(limits.channel_events_per_minute)")
        }
        if let user = publication.clientUser {
            consider(
                clientUsers.wait(user, now: now),
                "user \(user) may send at most \(limits.clientEventsPerMinute) client events a minute "
                    + "(limits.client_events_per_minute)")
        }
        if let app = publication.app {
            consider(
                apps.wait(app, now: now),
                "app \(app) may publish at most \(limits.appEventsPerMinute) events a minute "
                    + "(limits.app_events_per_minute)")
        }
        if let longest {
            let seconds = longest.wait.retryAfterSeconds
            return EventRefusal(
                id: id, .rateLimitExceeded, "\(longest.reason); retry in \(seconds) s", retryAfter: seconds)
        }
        global.take(.all, now: now)
        for channel in channelNames { channels.take(channel, now: now) }
        if let user = publication.clientUser { clientUsers.take(user, now: now) }
        if let app = publication.app { apps.take(app, now: now) }
        return nil
    }

    private static func distinct(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}

extension EventLimiter.Publication {
    /// What the limits look at in `event`. Client events from an edge (marked `client`) count against their
    /// user, the event's `user_id` (a JSON number or string), when the edge knows one; the edge's own events
    /// (an expired typing indicator's stop) do not.
    init(_ event: WireEvent, fromEdge: Bool) {
        self.init(
            channels: event.channels,
            clientUser: fromEdge && event.isClientEvent ? event.userIDText : nil, app: event.appID)
    }
}
