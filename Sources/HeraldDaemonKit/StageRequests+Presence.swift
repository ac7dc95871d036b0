import HeraldModel
import HeraldWire
import NIOCore

/// Presence across every edge, kept by the batcher (docs/wire-protocol.md, "Presence"). An edge asks
/// `presence-join` when one of its connections joins a presence channel and says `presence-leave` (a notice)
/// when it goes; after every connect it restates all its connections' memberships (`presence-restate`), so a
/// restarted batcher knows them again. The batcher tells the edges following a channel of each arrival and
/// departure with a `presence-change` notice. Member `info` is raw JSON, which Foundation's coders cannot carry:
/// these values are `StageValue`s.
extension StageRequests {
    public static let presenceJoin = "presence-join"
    public static let presenceLeave = "presence-leave"
    public static let presenceMembers = "presence-members"
    public static let presenceRestate = "presence-restate"
    public static let presenceChange = "presence-change"
    public static let presenceEnter = "presence-enter"

    /// The presence channel every authenticated connection is a member of, whatever it subscribes to: its members
    /// are the users online anywhere (for `events.online_events` and the `user_online`/`user_offline` webhooks).
    /// No client channel can have this name, so nobody follows it and its changes are told to no edge.
    public static let onlineChannel = "#online"

    /// `presence-join {channel, connection, user:{id, info?}}` → `PresenceList`; `presence-enter` (a notice) is the
    /// same join without the list; `presence-leave {channel, connection}` (a notice) has no `user`.
    public struct PresenceSeat: Sendable, Hashable {
        public var channel: String
        /// The edge's id for the client connection.
        public var connection: String
        public var member: PresenceMember?

        public init(channel: String, connection: String, member: PresenceMember? = nil) {
            self.channel = channel
            self.connection = connection
            self.member = member
        }
    }

    /// `presence-members {channel}` → `PresenceList`.
    public struct PresenceQuery: Sendable, Hashable {
        public var channel: String
        public init(channel: String) { self.channel = channel }
    }

    /// A channel's members in order of arrival, each with `since` set.
    public struct PresenceList: Sendable, Hashable {
        public var members: [PresenceMember]
        public init(members: [PresenceMember]) { self.members = members }
    }

    /// `presence-restate {seats:[…]}` → `{}`: every membership the edge's connections hold, after each connect.
    public struct PresenceRestatement: Sendable, Hashable {
        public var seats: [PresenceSeat]
        public init(seats: [PresenceSeat]) { self.seats = seats }
    }

    /// `presence-change {channel, action, user, connection?, time_ms}` (batcher → edge): a user's first
    /// connection joined (`action: "join"`, `connection` the one that did, which is not told), or its last one
    /// left and the grace ran out (`"leave"`).
    public struct PresenceNotice: Sendable, Hashable {
        public var channel: String
        public var change: PresenceChange
        public var connection: String?
        /// When it happened, in milliseconds since the epoch.
        public var time: Int64

        public init(channel: String, change: PresenceChange, connection: String? = nil, time: Int64) {
            self.channel = channel
            self.change = change
            self.connection = connection
            self.time = time
        }
    }
}

extension PresenceMember: StageValue {
    public static var stageName: String { "presence member" }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"id":"#)
        buffer.writeJSONString(userID)
        if let info {
            buffer.writeStaticString(#","info":"#)
            buffer.writeJSONRaw(info)
        }
        if let since {
            buffer.writeStaticString(#","since":"#)
            buffer.writeJSONNumber(since)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        // Copied: a slice would keep the whole frame it was read from alive for as long as the member lasts.
        let info = fields.optionalValue("info").map { ByteBuffer(bytes: $0.raw.readableBytesView) }
        self.init(userID: try fields.string("id"), info: info, since: try fields.optionalInt64("since"))
    }
}

extension StageRequests.PresenceSeat: StageValue {
    public static var stageName: String { "presence seat" }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"channel":"#)
        buffer.writeJSONString(channel)
        buffer.writeStaticString(#","connection":"#)
        buffer.writeJSONString(connection)
        if let member {
            buffer.writeStaticString(#","user":"#)
            member.encode(into: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(
            channel: try fields.string("channel"), connection: try fields.string("connection"),
            member: try fields.fields("user").map { try PresenceMember(fields: $0) })
    }
}

extension StageRequests.PresenceQuery: StageValue {
    public static var stageName: String { StageRequests.presenceMembers }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"channel":"#)
        buffer.writeJSONString(channel)
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(channel: try fields.string("channel"))
    }
}

extension StageRequests.PresenceList: StageValue {
    public static var stageName: String { "presence members" }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"members":"#)
        buffer.writeJSONArray(members) { buffer, member in member.encode(into: &buffer) }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(members: try fields.objects("members", required: true) { try PresenceMember(fields: $0) })
    }
}

extension StageRequests.PresenceRestatement: StageValue {
    public static var stageName: String { StageRequests.presenceRestate }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"seats":"#)
        buffer.writeJSONArray(seats) { buffer, seat in seat.encode(into: &buffer) }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        self.init(seats: try fields.objects("seats", required: true) { try StageRequests.PresenceSeat(fields: $0) })
    }
}

extension StageRequests.PresenceNotice: StageValue {
    public static var stageName: String { StageRequests.presenceChange }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"channel":"#)
        buffer.writeJSONString(channel)
        switch change {
        case .added(let member):
            buffer.writeStaticString(#","action":"join","user":"#)
            member.encode(into: &buffer)
        case .removed(let userID):
            buffer.writeStaticString(#","action":"leave","user":{"id":"#)
            buffer.writeJSONString(userID)
            buffer.writeInteger(UInt8(ascii: "}"))
        }
        if let connection {
            buffer.writeStaticString(#","connection":"#)
            buffer.writeJSONString(connection)
        }
        buffer.writeStaticString(#","time_ms":"#)
        buffer.writeJSONNumber(time)
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    public init(fields: WireFields) throws {
        let user = try PresenceMember(fields: try fields.requiredFields("user"))
        let change: PresenceChange
        switch try fields.string("action") {
        case "join": change = .added(user)
        case "leave": change = .removed(userID: user.userID)
        default: throw fields.invalid("action", "must be \"join\" or \"leave\"")
        }
        self.init(
            channel: try fields.string("channel"), change: change, connection: try fields.optionalString("connection"),
            time: try fields.int64("time_ms"))
    }
}
