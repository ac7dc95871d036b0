import HeraldConfig
import HeraldModel

/// The batcher's priority windows: high-priority events go out at once; medium and low ones are held in one
/// window per priority, shared by every channel, and go out together when it is due. Inside a window a newer
/// event replaces a held one with the same coalescing key (`collapse_key`, or `events.coalescing`), so a burst
/// of updates to one thing is delivered as its latest state.
///
/// A window opens with the first event it holds and is due `medium_window_ms` or `low_window_ms` later; the
/// next event after a flush opens a new one. A window holding `max_window_events` events (after coalescing) is
/// flushed at once. A pure state machine: time is passed in as monotonic milliseconds, and the owner arms a
/// timer for `nextDeadline` and calls `due(now:)` when it fires.
public struct DeliveryWindows: Sendable {
    private var medium: PriorityWindow
    private var low: PriorityWindow
    private let maxWindowEvents: Int
    private let policy: CoalescingPolicy

    public init(
        mediumWindowMilliseconds: Int, lowWindowMilliseconds: Int, maxWindowEvents: Int,
        coalescing: [CoalescingRule]
    ) {
        medium = PriorityWindow(priority: .medium, length: Int64(mediumWindowMilliseconds))
        low = PriorityWindow(priority: .low, length: Int64(lowWindowMilliseconds))
        self.maxWindowEvents = max(1, maxWindowEvents)
        policy = CoalescingPolicy(coalescing)
    }

    /// Windows as the `batcher` section and `events.coalescing` configure them.
    public init(_ batcher: BatcherConfig, coalescing: [CoalescingRule]) {
        self.init(
            mediumWindowMilliseconds: batcher.mediumWindowMilliseconds,
            lowWindowMilliseconds: batcher.lowWindowMilliseconds, maxWindowEvents: batcher.maxWindowEvents,
            coalescing: coalescing)
    }

    /// Events held in all windows, replaced ones not counted.
    public var heldCount: Int { medium.count + low.count }

    /// The earliest time a window is due; `nil` while nothing is held.
    public var nextDeadline: Int64? {
        switch (medium.deadline, low.deadline) {
        case (let m?, let l?): min(m, l)
        case (let m?, nil): m
        case (nil, let l?): l
        case (nil, nil): nil
        }
    }

    /// Takes one event on one channel at `now`. The output holds, in order: every window already due at `now`
    /// (so a late timer never lets a window outlive its deadline), then the event itself when it is high
    /// priority, or its window when the event filled it; plus the held event it replaced, if any.
    public mutating func add(_ item: EventOnChannel, now: Int64) -> WindowOutput {
        var output = due(now: now)
        switch item.event.priority {
        case .high:
            output.batches.append(ChannelBatch(channel: item.channel, priority: .high, events: [item.event]))
        case .medium:
            let key = policy.key(for: item)
            Self.hold(item, key: key, in: &medium, limit: maxWindowEvents, now: now, into: &output)
        case .low:
            let key = policy.key(for: item)
            Self.hold(item, key: key, in: &low, limit: maxWindowEvents, now: now, into: &output)
        }
        return output
    }

    /// Flushes every window whose deadline is at or before `now`, the earlier deadline first.
    public mutating func due(now: Int64) -> WindowOutput {
        flush { $0 <= now }
    }

    /// Flushes every window, the earlier deadline first: what a stopping batcher still delivers.
    public mutating func drain() -> WindowOutput {
        flush { _ in true }
    }

    private static func hold(
        _ item: EventOnChannel, key: CoalescingKey?, in window: inout PriorityWindow, limit: Int, now: Int64,
        into output: inout WindowOutput
    ) {
        if let replaced = window.hold(item, key: key, now: now) {
            output.superseded.append(replaced)
        }
        if window.count >= limit {
            output.batches.append(contentsOf: window.flush())
        }
    }

    /// Flushes the windows whose deadline passes `isDue`, the earlier deadline first (medium on a tie).
    private mutating func flush(_ isDue: (Int64) -> Bool) -> WindowOutput {
        var output = WindowOutput()
        let lowFirst = (low.deadline ?? .max) < (medium.deadline ?? .max)
        if lowFirst { Self.flush(&low, if: isDue, into: &output) }
        Self.flush(&medium, if: isDue, into: &output)
        if !lowFirst { Self.flush(&low, if: isDue, into: &output) }
        return output
    }

    private static func flush(
        _ window: inout PriorityWindow, if isDue: (Int64) -> Bool, into output: inout WindowOutput
    ) {
        guard let deadline = window.deadline, isDue(deadline) else { return }
        output.batches.append(contentsOf: window.flush())
    }
}
