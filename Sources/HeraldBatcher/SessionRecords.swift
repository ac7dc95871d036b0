import HeraldDaemonKit

/// The Socket.IO sessions an engine remembers for recovery, as a pure value: what each session joined and
/// where the engine stood when it did, kept for `lifetime` after the session's last save and at most
/// `capacity` of them (the ones closest to expiring go first).
struct SessionRecords {
    private struct Kept {
        var record: StageRequests.SessionRecord
        var expiresAt: Int64
    }

    let lifetime: Int64
    let capacity: Int
    private var kept: [String: Kept] = [:]

    init(lifetimeMilliseconds: Int64, capacity: Int) {
        self.lifetime = lifetimeMilliseconds
        self.capacity = max(capacity, 1)
    }

    var count: Int { kept.count }

    /// Stores what the session has joined now. Channels it had joined before keep their first `SessionJoin`
    /// (in the same epoch); new ones join at `position`.
    mutating func save(_ save: StageRequests.SessionSave, at position: StageRequests.SessionJoin, now: Int64) {
        let previous = kept[save.pid].flatMap { $0.expiresAt > now ? $0.record.channels : nil } ?? [:]
        var channels: [String: StageRequests.SessionJoin] = [:]
        for channel in save.channels {
            if let joined = previous[channel], joined.epoch == position.epoch {
                channels[channel] = joined
            } else {
                channels[channel] = position
            }
        }
        if kept[save.pid] == nil, kept.count >= capacity { makeRoom(now: now) }
        kept[save.pid] = Kept(
            record: StageRequests.SessionRecord(
                pid: save.pid, userID: save.userID, namespace: save.namespace, channels: channels),
            expiresAt: now + lifetime)
    }

    /// The session's record, unless it expired.
    mutating func load(pid: String, now: Int64) -> StageRequests.SessionRecord? {
        guard let entry = kept[pid] else { return nil }
        guard entry.expiresAt > now else {
            kept[pid] = nil
            return nil
        }
        return entry.record
    }

    private mutating func makeRoom(now: Int64) {
        kept = kept.filter { $0.value.expiresAt > now }
        guard kept.count >= capacity, let first = kept.min(by: { $0.value.expiresAt < $1.value.expiresAt }) else {
            return
        }
        kept[first.key] = nil
    }
}
