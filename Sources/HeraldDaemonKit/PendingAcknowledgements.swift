import HeraldModel
import HeraldWire

/// The `ack` and `settled` ids a stage owes one peer in the current event-loop tick. A stage acknowledges
/// and settles every event it is handed; gathering the ids of one tick into one `ack` and one `settled`
/// frame means a batch of events costs its sender two frames to read, not two per event.
///
/// Acknowledgements go out before settlements, so each id is acknowledged before it is settled, as when they
/// were sent one by one.
struct PendingAcknowledgements: Sendable {
    private var acknowledged: [EventID] = []
    private var settled: [EventID] = []

    var isEmpty: Bool { acknowledged.isEmpty && settled.isEmpty }

    /// Keeps the ids of an `ack` or `settled` message and returns true; returns false for any other message.
    mutating func absorb(_ message: WireMessage) -> Bool {
        switch message {
        case .ack(let ids): acknowledged.append(contentsOf: ids)
        case .settled(let ids): settled.append(contentsOf: ids)
        default: return false
        }
        return true
    }

    /// The messages to send now (an `ack`, then a `settled`, each only when it has ids), leaving none pending.
    mutating func take() -> [WireMessage] {
        defer {
            acknowledged.removeAll(keepingCapacity: true)
            settled.removeAll(keepingCapacity: true)
        }
        return (acknowledged.isEmpty ? [] : [.ack(acknowledged)]) + (settled.isEmpty ? [] : [.settled(settled)])
    }
}
