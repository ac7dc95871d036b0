import HeraldModel
import HeraldWire
import NIOCore

/// One typist on one channel: whose `<prefix>.typing.started` a timer waits to end.
public struct TypingKey: Sendable, Hashable {
    public var channel: String
    /// The typist's user id (or connection id when it has none).
    public var typist: String
    /// The event name before `.typing.started`: `forum`, `messaging`.
    public var prefix: String

    public init(channel: String, typist: String, prefix: String) {
        self.channel = channel
        self.typist = typist
        self.prefix = prefix
    }
}

/// The `<prefix>.typing.stopped` an expired typing indicator sends: `{user}` as data, to the channel's
/// subscribers except the typist's connection.
public struct TypingStop: Sendable, Hashable {
    public var key: TypingKey
    /// `{"id","name"}`, as the started event carried it.
    public var user: ByteBuffer
    /// The typist's id as the started event's `user_id`.
    public var userID: ByteBuffer?
    /// The typist's connection, left out.
    public var socketID: String
    public var priority: Priority

    public init(key: TypingKey, user: ByteBuffer, userID: ByteBuffer?, socketID: String, priority: Priority) {
        self.key = key
        self.user = user
        self.userID = userID
        self.socketID = socketID
        self.priority = priority
    }

    public var name: String { key.prefix + ".typing.stopped" }

    /// The event, published at `milliseconds` (since the epoch).
    public func event(id: EventID, milliseconds: Int64) -> WireEvent {
        var data = ByteBufferAllocator().buffer(capacity: 16 + user.readableBytes)
        data.writeStaticString(#"{"user":"#)
        data.writeJSONRaw(user)
        data.writeInteger(UInt8(ascii: "}"))
        return WireEvent(
            id: id, name: name, channels: [key.channel], timestamp: Clock.rfc3339(milliseconds: milliseconds),
            priority: priority, userID: userID, audience: Audience(excludeSocketID: socketID), data: data)
    }
}

/// What a client event does to the typing timers.
public enum TypingUpdate: Sendable, Hashable {
    /// A `.typing.started`: (re)arm the typist's timer to send `stop` at `expiresAt` (ms since the epoch).
    case start(TypingStop, expiresAt: Int64)
    /// A `.typing.stopped` from the client itself: nothing more to send.
    case stop(TypingKey)
}

/// Typing indicators waiting to expire: a pure state machine over wall-clock milliseconds. A started indicator
/// that is neither renewed nor stopped before its deadline comes out of `due(now:)`, once.
///
/// Bounded: past `capacity` typists a new indicator gets no timer (it is still delivered; its watchers see
/// it stop only when the client says so).
public struct TypingTimers: Sendable {
    public enum Outcome: Sendable, Hashable {
        case started
        case renewed
        /// At capacity: no timer for this typist.
        case full
    }

    public let capacity: Int
    private var timers: [TypingKey: (stop: TypingStop, expiresAt: Int64)] = [:]

    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    public var count: Int { timers.count }

    /// Arms the typist's timer, or moves it when it runs already.
    @discardableResult
    public mutating func start(_ stop: TypingStop, expiresAt: Int64) -> Outcome {
        if timers[stop.key] != nil {
            timers[stop.key] = (stop, expiresAt)
            return .renewed
        }
        guard timers.count < capacity else { return .full }
        timers[stop.key] = (stop, expiresAt)
        return .started
    }

    /// A renewal is a start for a typist whose timer runs.
    @discardableResult
    public mutating func renew(_ stop: TypingStop, expiresAt: Int64) -> Outcome {
        start(stop, expiresAt: expiresAt)
    }

    /// The typist stopped: its timer sends nothing.
    public mutating func stop(_ key: TypingKey) {
        timers[key] = nil
    }

    public mutating func apply(_ update: TypingUpdate) {
        switch update {
        case .start(let stop, let expiresAt): start(stop, expiresAt: expiresAt)
        case .stop(let key): stop(key)
        }
    }

    /// The indicators whose deadline is `now` or earlier, earliest first; they are forgotten.
    public mutating func due(now: Int64) -> [TypingStop] {
        let expired = timers.filter { $0.value.expiresAt <= now }
        for key in expired.keys { timers[key] = nil }
        return expired.values.sorted { $0.expiresAt < $1.expiresAt }.map(\.stop)
    }

    /// The earliest deadline, if any timer runs.
    public var nextDeadline: Int64? { timers.values.map(\.expiresAt).min() }
}
