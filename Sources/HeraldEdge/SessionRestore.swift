import HeraldModel

/// A request to restore a recoverable session (Socket.IO connection-state recovery): the session `pid` the
/// client presented and where it says it stands.
public struct SessionRestore: Sendable, Hashable {
    /// A place in everything the batcher's engine delivered: its epoch and the sequence of the last event the
    /// client received.
    public struct Cursor: Sendable, Hashable {
        public var epoch: String
        public var sequence: Int64
        public init(epoch: String, sequence: Int64) {
            self.epoch = epoch
            self.sequence = sequence
        }
    }

    public var pid: String
    /// Nil when the client received no event yet: each channel is then recovered from where the session joined
    /// it.
    public var cursor: Cursor?
    public var namespace: String
    /// The lane the session's channels take.
    public var lane: DeliveryLane

    public init(pid: String, cursor: Cursor?, namespace: String, lane: DeliveryLane) {
        self.pid = pid
        self.cursor = cursor
        self.namespace = namespace
        self.lane = lane
    }
}

/// How a restore ended.
public struct SessionRestoration: Sendable, Hashable {
    /// The channels the connection now subscribes to (each authorized again).
    public var channels: [String]
    /// True when every channel's missed events were replayed; false when the session was unknown or expired,
    /// belonged to another user, or a position could not be recovered — the client starts a new session.
    public var recovered: Bool

    public init(channels: [String], recovered: Bool) {
        self.channels = channels
        self.recovered = recovered
    }
}
