/// The two ways to publish: one event with audience options, or canonical envelopes (one or a batch).
public enum PublishEndpoint: String, Sendable, Hashable {
    /// `POST /api/broadcast`: answers `{"ok":true,"id":…}`.
    case broadcast
    /// `POST /api/events`: answers `{"ok":true,"ids":[…]}`.
    case events
}
