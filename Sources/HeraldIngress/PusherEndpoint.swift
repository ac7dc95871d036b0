/// The Pusher HTTP API endpoints ingress serves, under `/apps/{appId}/`.
public enum PusherEndpoint: String, Sendable, Hashable {
    /// `POST /apps/{appId}/events`: one event on up to 100 channels.
    case events
    /// `POST /apps/{appId}/batch_events`: up to `PusherEventParser.maximumBatch` events, one channel each.
    case batchEvents = "batch_events"
}
