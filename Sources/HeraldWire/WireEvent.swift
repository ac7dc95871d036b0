import HeraldModel
import NIOCore

/// An event as it travels between stages. The publisher's `data` and `metadata` are carried as raw JSON bytes,
/// validated once and never re-parsed, until the edge writes them into client frames.
///
/// Between ingress, the authorizer and the batcher an event may name several channels; in a `deliver` frame it
/// names exactly one and carries that channel's `offset`, `epoch` and the engine's `sequence`.
///
/// A decoded event's `data`, `metadata` and `userID` are zero-copy slices of the received bytes and keep that
/// whole read buffer alive; a stage that holds events for long (history, resend buffers) should copy them into
/// buffers of their own.
public struct WireEvent: Sendable, Hashable {
    /// Assigned once at ingress; receivers drop duplicates by it.
    public var id: EventID
    /// The event name (`forum.comment.created`, `order:created`), sent as `event`.
    public var name: String
    /// The channels the event is published on.
    public var channels: [String]
    /// RFC 3339 UTC time of publication (`2025-07-17T10:30:00Z`).
    public var timestamp: String
    public var priority: Priority
    /// The publishing user's id as the publisher sent it: the raw bytes of a JSON number or string.
    public var userID: ByteBuffer?
    /// The app that published the event (Pusher HTTP API or room events), set by ingress; it counts against
    /// `limits.app_events_per_minute`.
    public var appID: String?
    /// Sent by a client through an edge (a client event, a relayed read receipt), as `"client":true`; left out
    /// when false. The batcher reports such events to the app's webhooks as `client_event`.
    public var isClientEvent: Bool
    /// Who among the subscribers receives the event; the object is left out of the JSON when it is everyone.
    public var audience: Audience
    /// Events sharing a collapse key inside one batching window keep only the latest.
    public var collapseKey: String?
    /// The publisher's payload: the raw bytes of any JSON value. An empty buffer is sent as `null`.
    public var data: ByteBuffer
    /// The publisher's metadata: the raw bytes of a JSON object.
    public var metadata: ByteBuffer?
    /// The event's position in its channel, assigned by the batcher.
    public var offset: Int64?
    /// The channel history generation `offset` belongs to, assigned by the batcher.
    public var epoch: String?
    /// The event's place among everything the batcher's engine delivered in this epoch, on every channel: a
    /// connection that received the event with sequence `n` has received (or was filtered from) every earlier
    /// one on its channels. Socket.IO recovery cursors are made of it.
    public var sequence: Int64?

    public init(
        id: EventID, name: String, channels: [String], timestamp: String, priority: Priority,
        userID: ByteBuffer? = nil, appID: String? = nil, isClientEvent: Bool = false, audience: Audience = Audience(),
        collapseKey: String? = nil, data: ByteBuffer,
        metadata: ByteBuffer? = nil, offset: Int64? = nil, epoch: String? = nil, sequence: Int64? = nil
    ) {
        self.id = id
        self.name = name
        self.channels = channels
        self.timestamp = timestamp
        self.priority = priority
        self.userID = userID
        self.appID = appID
        self.isClientEvent = isClientEvent
        self.audience = audience
        self.collapseKey = collapseKey
        self.data = data
        self.metadata = metadata
        self.offset = offset
        self.epoch = epoch
        self.sequence = sequence
    }
}
