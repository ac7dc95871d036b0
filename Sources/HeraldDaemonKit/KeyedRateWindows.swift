import NIOCore

/// One `RateWindow` per key (a channel, a user, an app, an IP address), all with the same limit. Windows
/// that have refilled completely are forgotten now and then, so memory follows the keys active in the last
/// period rather than every key ever seen.
public struct KeyedRateWindows<Key: Hashable & Sendable>: Sendable {
    public private(set) var limit: Int
    public let period: TimeAmount
    private var windows: [Key: RateWindow] = [:]
    private var sinceSweep = 0
    /// How many admissions pass between two sweeps of full windows.
    private let sweepInterval: Int

    public init(limit: Int, per period: TimeAmount = .minutes(1), sweepInterval: Int = 4096) {
        self.limit = limit
        self.period = period
        self.sweepInterval = sweepInterval
    }

    /// How many keys have a window now.
    public var count: Int { windows.count }

    /// How long until `key` may take a token: nil when it may now. Takes nothing.
    public mutating func wait(_ key: Key, now: NIODeadline) -> TimeAmount? {
        guard limit > 0 else { return nil }
        return windows[key, default: RateWindow(limit: limit, per: period, now: now)].wait(now: now)
    }

    /// Takes the token `wait` found for `key`.
    public mutating func take(_ key: Key, now: NIODeadline) {
        guard limit > 0 else { return }
        windows[key, default: RateWindow(limit: limit, per: period, now: now)].take()
        sinceSweep += 1
        if sinceSweep >= sweepInterval {
            sinceSweep = 0
            windows = windows.filter { !$0.value.isFull(now: now) }
        }
    }

    /// Takes one token for `key`. Returns nil when admitted, or how long until the next token otherwise.
    public mutating func admit(_ key: Key, now: NIODeadline) -> TimeAmount? {
        if let wait = wait(key, now: now) { return wait }
        take(key, now: now)
        return nil
    }

    /// A new limit (after a reload): every key starts over with a full window.
    public mutating func change(limit: Int) {
        guard limit != self.limit else { return }
        self.limit = limit
        windows = [:]
    }
}
