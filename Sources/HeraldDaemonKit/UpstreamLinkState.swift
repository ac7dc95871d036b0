import HeraldModel
import NIOCore
import OrderedCollections

/// The pure heart of an upstream link: which events are unsettled, which are acknowledged, whether we
/// are connected, and how long to back off. The link performs the actions it returns.
///
/// Reliability rule (docs/wire-protocol.md): the sender keeps every event until the receiver reports it
/// settled, and resends every unsettled event, in order, after each reconnect.
public struct UpstreamLinkState: Sendable {
    public enum Connection: Sendable, Equatable {
        case disconnected(failedAttempts: Int)
        case connecting(failedAttempts: Int)
        case connected
    }

    public enum EnqueueOutcome: Sendable, Equatable {
        /// Send this event now.
        case write
        /// Held until the link is connected.
        case buffered
        /// The event is already unsettled here; nothing to do.
        case duplicate
        /// The resend buffer is full: refuse the event.
        case full
    }

    struct Pending: Sendable {
        /// The event's JSON object, as `writeWireEvent` encodes it: packed into `event`/`events` frames.
        var event: ByteBuffer
        var acknowledged: Bool
    }

    public let capacity: Int
    public private(set) var connection: Connection = .disconnected(failedAttempts: 0)
    private var unsettled: OrderedDictionary<EventID, Pending> = [:]
    /// Connections in a row that ended because the peer speaks another protocol version. They count as
    /// failures for the backoff, so a link does not reconnect in a tight loop during a rolling upgrade.
    private var incompatibleInARow = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "an upstream link needs room for at least one event")
        self.capacity = capacity
    }

    public var unsettledCount: Int { unsettled.count }
    public var unacknowledgedCount: Int { unsettled.values.lazy.filter { !$0.acknowledged }.count }
    public var isConnected: Bool { connection == .connected }

    /// Holds `event` (its encoded JSON object) until it is settled or refused.
    public mutating func enqueue(_ id: EventID, event: ByteBuffer) -> EnqueueOutcome {
        if unsettled[id] != nil { return .duplicate }
        guard unsettled.count < capacity else { return .full }
        unsettled[id] = Pending(event: event, acknowledged: false)
        return isConnected ? .write : .buffered
    }

    public mutating func connecting() {
        if case .disconnected(let failed) = connection { connection = .connecting(failedAttempts: failed) }
    }

    /// The link is up (hello sent): every unsettled event goes out again, oldest first.
    public mutating func connected() -> [ByteBuffer] {
        connection = .connected
        for index in unsettled.values.indices { unsettled.values[index].acknowledged = false }
        return unsettled.values.map(\.event)
    }

    /// The peer's `hello` names this protocol version: the connection works.
    public mutating func peerIsCompatible() {
        incompatibleInARow = 0
    }

    /// The peer's `hello` names another protocol version; the link closes the connection, and the next
    /// attempt waits as after a failed connect.
    public mutating func peerIsIncompatible() {
        incompatibleInARow += 1
    }

    /// The connection failed or closed. Returns how long to wait before the next attempt.
    public mutating func disconnected(backoff: Backoff) -> Duration {
        let failed: Int
        switch connection {
        case .connected: failed = incompatibleInARow
        case .connecting(let n), .disconnected(let n): failed = n + 1
        }
        connection = .disconnected(failedAttempts: failed)
        return backoff.delay(afterFailures: failed)
    }

    /// The receiver took responsibility for these events. Returns the ids that were waiting for it.
    public mutating func acknowledged(_ ids: [EventID]) -> [EventID] {
        ids.filter { id in
            guard let pending = unsettled[id], !pending.acknowledged else { return false }
            unsettled[id]?.acknowledged = true
            return true
        }
    }

    /// The receiver published these events: forget them. Returns the ids that were still held.
    public mutating func settled(_ ids: [EventID]) -> [EventID] {
        ids.filter { unsettled.removeValue(forKey: $0) != nil }
    }

    /// The receiver refused this event: forget it, it is never resent. Returns whether it was still held.
    public mutating func refused(_ id: EventID) -> Bool {
        unsettled.removeValue(forKey: id) != nil
    }

    /// Drops an event that was never acknowledged (its publisher gave up waiting). Returns whether it was
    /// dropped; an acknowledged event is kept, since the receiver may already be publishing it.
    public mutating func withdraw(_ id: EventID) -> Bool {
        guard let pending = unsettled[id], !pending.acknowledged else { return false }
        unsettled.removeValue(forKey: id)
        return true
    }
}

/// Exponential backoff with a ceiling: 50 ms, 100 ms, 200 ms … up to `maximum`.
public struct Backoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .milliseconds(50), maximum: Duration = .seconds(2)) {
        self.initial = initial
        self.maximum = maximum
    }

    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        let factor = 1 << min(failures - 1, 16)
        return min(initial * factor, maximum)
    }
}
