import HeraldModel

extension StageRequests {
    public static let recover = "recover"
    public static let sessionSave = "session-save"
    public static let sessionLoad = "session-load"

    /// `recover {channels}` (edge → batcher) → `RecoveryAnswer`: for each channel, whether a client's position
    /// there can be recovered, and the events after it. The edge sends it after the channel's interest, on the
    /// same link, so every live delivery that arrives after the answer comes after the replayed events.
    public struct Recover: Codable, Sendable, Hashable {
        /// A client's position in one channel: the last event it received there, by its channel `offset` (native
        /// `recover`) or by the engine-wide `sequence` (Socket.IO cursors). With neither, everything after
        /// nothing: the channel's whole history in `epoch`.
        public struct Entry: Codable, Sendable, Hashable {
            public var channel: String
            public var epoch: String
            public var offset: Int64?
            public var sequence: Int64?
            public init(channel: String, epoch: String, offset: Int64? = nil, sequence: Int64? = nil) {
                self.channel = channel
                self.epoch = epoch
                self.offset = offset
                self.sequence = sequence
            }
        }

        public var channels: [Entry]
        public init(channels: [Entry]) { self.channels = channels }
    }

    /// `session-save {pid, user_id, namespace, channels}` (edge → batcher) → `{}`: what a Socket.IO session has
    /// joined, kept by the batcher's engine so that it outlives the edge that served the session. The engine
    /// notes where it stood when each channel first appeared in the session (`SessionJoin`).
    public struct SessionSave: Codable, Sendable, Hashable {
        public var pid: String
        public var userID: String
        public var namespace: String
        public var channels: [String]

        public init(pid: String, userID: String, namespace: String, channels: [String]) {
            self.pid = pid
            self.userID = userID
            self.namespace = namespace
            self.channels = channels
        }

        enum CodingKeys: String, CodingKey { case pid, userID = "user_id", namespace, channels }
    }

    /// `session-load {pid}` → the session's record, or NOT_FOUND once it expired (a day after its last save).
    public struct SessionRecord: Codable, Sendable, Hashable {
        /// The private session id handed to the client (`pid`).
        public var pid: String
        /// The user the session belongs to; a recovery must authenticate as the same user.
        public var userID: String
        /// The Socket.IO namespace (`/`, `/rooms/42`).
        public var namespace: String
        /// The channels the session had joined, each with the engine position when it joined, so that a client
        /// that never received an event recovers from there.
        public var channels: [String: SessionJoin]

        public init(pid: String, userID: String, namespace: String, channels: [String: SessionJoin]) {
            self.pid = pid
            self.userID = userID
            self.namespace = namespace
            self.channels = channels
        }

        enum CodingKeys: String, CodingKey { case pid, userID = "user_id", namespace, channels }
    }

    /// Where the engine stood when a session joined a channel: its epoch and last sequence.
    public struct SessionJoin: Codable, Sendable, Hashable {
        public var epoch: String
        public var sequence: Int64
        public init(epoch: String, sequence: Int64) {
            self.epoch = epoch
            self.sequence = sequence
        }
    }

    public struct SessionLoad: Codable, Sendable, Hashable {
        public var pid: String
        public init(pid: String) { self.pid = pid }
    }
}
