import DequeModule

/// Whether any edge follows each channel, and the moments that changes: a channel's first follower makes it
/// occupied, its last one leaving makes it vacated. A pure value, told of every follow and unfollow the edge
/// directory takes (never twice for the same edge and channel), with time passed in (milliseconds).
///
/// When the last follower was an edge whose link was lost, the channel is held for `graceMilliseconds` before
/// it is vacated: an edge that reconnects restates its interest, and a channel followed again within the grace
/// is neither vacated nor occupied a second time.
public struct ChannelOccupancy: Sendable {
    public enum Change: Equatable, Sendable {
        case occupied(String)
        case vacated(String)
    }

    let graceMilliseconds: Int64
    private var followers: [String: Int] = [:]
    /// Channels whose last follower was lost, with the time they are vacated unless followed again.
    private var held: [String: Int64] = [:]
    /// The same holds in the order they end (one grace for all); an entry for a channel followed again since no
    /// longer matches `held` and is skipped, so finding the next deadline costs the same however many are held.
    private var deadlines: Deque<(at: Int64, channel: String)> = []

    init(graceMilliseconds: Int64) {
        self.graceMilliseconds = graceMilliseconds
    }

    /// Channels with a follower or held.
    var occupiedCount: Int { followers.count + held.count }

    func isOccupied(_ channel: String) -> Bool { followers[channel] != nil || held[channel] != nil }

    /// An edge follows `channel` from now on.
    mutating func followed(_ channel: String) -> Change? {
        followers[channel, default: 0] += 1
        guard followers[channel] == 1 else { return nil }
        return held.removeValue(forKey: channel) == nil ? .occupied(channel) : nil
    }

    /// An edge no longer follows `channel`: it said so (`lost` false), or its link is gone (`lost` true, the
    /// channel is held for the grace when no other edge follows it).
    mutating func unfollowed(_ channel: String, lost: Bool, now: Int64) -> Change? {
        guard let count = followers[channel] else { return nil }
        guard count == 1 else {
            followers[channel] = count - 1
            return nil
        }
        followers[channel] = nil
        guard lost, graceMilliseconds > 0 else { return .vacated(channel) }
        held[channel] = now + graceMilliseconds
        deadlines.append((now + graceMilliseconds, channel))
        return nil
    }

    /// The held channels whose grace is over, vacated now, in name order.
    mutating func due(now: Int64) -> [Change] {
        let over = held.filter { $0.value <= now }.keys.sorted()
        for channel in over { held[channel] = nil }
        return over.map { .vacated($0) }
    }

    /// When `due` next vacates a held channel. Drops the ends of holds that no longer stand.
    mutating func nextDeadline() -> Int64? {
        while let first = deadlines.first {
            if held[first.channel] == first.at { return first.at }
            deadlines.removeFirst()
        }
        return nil
    }
}
