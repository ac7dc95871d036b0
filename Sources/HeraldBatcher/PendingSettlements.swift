import HeraldDaemonKit
import HeraldModel

/// Events the batcher took but has not settled yet: each waits for all of its parts (one per channel) to be
/// published to the engine or superseded inside a window, and is then settled to the stage that sent it last
/// (a resend after a reconnect moves it to the new link). Confined to the batcher's loop.
struct PendingSettlements {
    private struct Pending {
        var remaining: Int
        var source: StagePeer
    }

    private var pending: [EventID: Pending] = [:]

    var count: Int { pending.count }

    func contains(_ id: EventID) -> Bool { pending[id] != nil }

    mutating func open(_ id: EventID, parts: Int, source: StagePeer) {
        pending[id] = Pending(remaining: max(parts, 1), source: source)
    }

    /// A resent event still pending: settle it to the link it came back on.
    mutating func redirect(_ id: EventID, to source: StagePeer) {
        pending[id]?.source = source
    }

    /// One part of `id` is done; returns the stage to settle it with when it was the last.
    mutating func partDone(_ id: EventID) -> StagePeer? {
        guard var entry = pending[id] else { return nil }
        entry.remaining -= 1
        guard entry.remaining == 0 else {
            pending[id] = entry
            return nil
        }
        pending[id] = nil
        return entry.source
    }
}
