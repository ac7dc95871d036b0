import Foundation
import HeraldModel
import NIOCore

/// The requests stages send each other, and their answers. Those every client connection costs are
/// `StageCodable` (`authorize-connect`, `authorize-subscribe` and `interest` with their answers, and
/// `connections-closed`): written and read by hand on HeraldWire's JSON writer and scanner, in the bytes
/// Foundation's `JSONEncoder` wrote for them. The rest, control traffic, use Foundation's coders.
public enum StageRequests {
    public static let authorizeConnect = "authorize-connect"
    public static let authorizeSubscribe = "authorize-subscribe"

    /// `authorize-connect {token, connection?}` → `{principal}`, or AUTHENTICATION_FAILED / TOKEN_EXPIRED. With
    /// `connection` (the edge's connection id), the authorizer also counts the connection against its user's
    /// `limits.connections_per_user`, and answers CONNECTION_LIMIT when the user holds that many already.
    public struct AuthorizeConnect: Codable, Sendable {
        public var token: String
        public var connection: String?
        public init(token: String, connection: String? = nil) {
            self.token = token
            self.connection = connection
        }
    }

    public struct ConnectVerdict: Codable, Sendable {
        public var principal: Principal
        public init(principal: Principal) { self.principal = principal }
    }

    /// `authorize-subscribe {principal, channel}` → `{allowed: true}`, or PERMISSION_DENIED.
    public struct AuthorizeSubscribe: Codable, Sendable {
        public var principal: Principal
        public var channel: String
        /// A subscription token the client presented with the subscribe: a JWT whose `channel` claim grants
        /// exactly this channel. Absent for most subscribes.
        public var token: String?
        /// The edge's connection id, passed to the backend authorization hook as `socket_id`.
        public var socketID: String?
        public init(principal: Principal, channel: String, token: String? = nil, socketID: String? = nil) {
            self.principal = principal
            self.channel = channel
            self.token = token
            self.socketID = socketID
        }

        enum CodingKeys: String, CodingKey { case principal, channel, token, socketID = "socket_id" }
    }

    public struct SubscribeVerdict: Codable, Sendable {
        public var allowed: Bool
        /// What the backend authorization hook said of the user (its answer's `info` object, as JSON text): the
        /// user's presence member info on this channel. Absent when no hook was asked or it gave none.
        public var info: String?
        public init(allowed: Bool, info: String? = nil) {
            self.allowed = allowed
            self.info = info
        }
    }

    /// A connection-setup value, written by its own codec.
    public static func encode(_ value: some StageCodable) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        value.encode(into: &buffer)
        return buffer
    }

    /// A connection-setup value, read by its own codec; throws `INVALID_PAYLOAD` naming the member that is wrong.
    public static func decode<Value: StageCodable>(_ type: Value.Type, from buffer: ByteBuffer) throws -> Value {
        try Value(params: buffer)
    }

    /// Any other value, written by Foundation's `JSONEncoder` with sorted keys.
    public static func encode(_ value: some Encodable) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain structs cannot fail.
        return ByteBuffer(bytes: (try? encoder.encode(value)) ?? Data("{}".utf8))
    }

    /// Any other value, read by Foundation's `JSONDecoder`.
    public static func decode<Value: Decodable>(_ type: Value.Type, from buffer: ByteBuffer) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch {
            throw HeraldError(.invalidPayload, "malformed \(Value.self): \(error)")
        }
    }
}

extension StageRequests {
    public static let interest = "interest"

    /// `interest {add, remove}` (edge → batcher): channels the edge now has subscribers for, each with the
    /// last position it saw (so the batcher replays what it missed), and channels it no longer has.
    public struct InterestChange: Codable, Sendable {
        public struct Entry: Codable, Sendable, Hashable {
            public var channel: String
            public var epoch: String?
            public var offset: Int64?
            public init(channel: String, epoch: String? = nil, offset: Int64? = nil) {
                self.channel = channel
                self.epoch = epoch
                self.offset = offset
            }
        }

        /// When true, the batcher forgets this edge's channels first: the edge restates its whole interest
        /// after every reconnect, which overrides any older change resent with it.
        public var reset: Bool?
        public var add: [Entry]
        public var remove: [String]
        public init(reset: Bool? = nil, add: [Entry] = [], remove: [String] = []) {
            self.reset = reset
            self.add = add
            self.remove = remove
        }
    }

    /// The answer: each added channel's current position, after any replay was written.
    public struct InterestPositions: Codable, Sendable {
        public var positions: [String: ChannelPosition]
        public init(positions: [String: ChannelPosition]) { self.positions = positions }
    }
}
