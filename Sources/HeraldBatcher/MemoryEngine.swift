import DequeModule
import HeraldModel
import HeraldWire
import NIOCore

/// The single-host engine: per-channel offsets and a bounded history (count and age) in memory. Its epoch
/// is new with every process, so an edge that reconnects after a batcher restart gets the whole new
/// history and drops what it already had by event id.
///
/// A new epoch keeps every event for its first moments (`warmUp`, and at most `warmUpEvents` per channel):
/// after a restart the authorizer's resent and queued events can reach the batcher before the edges have
/// restated their interest, and the replay that then brings them to the edges must not be cut short by the
/// count limit.
public final class MemoryEngine: BatcherEngine {
    struct Entry {
        var offset: Int64
        var frame: ByteBuffer
        var storedAt: Int64
    }

    struct ChannelLog {
        var nextOffset: Int64 = 1
        var entries: Deque<Entry> = []
    }

    public let epoch: String
    private let historyEvents: Int
    private let historyMilliseconds: Int64
    private let warmUpEndsAt: Int64
    private let warmUpEvents: Int
    private let now: () -> Int64
    private var channels: [String: ChannelLog] = [:]

    public init(
        historyEvents: Int, historySeconds: Int, epoch: String = MemoryEngine.newEpoch(),
        warmUp: Duration = .seconds(30), warmUpEvents: Int = 20_000,
        now: @escaping () -> Int64 = Clock.wallMilliseconds
    ) {
        self.epoch = epoch
        self.historyEvents = historyEvents
        self.historyMilliseconds = Int64(historySeconds) * 1000
        self.warmUpEndsAt = now() + warmUp.components.seconds * 1000
        self.warmUpEvents = max(warmUpEvents, historyEvents)
        self.now = now
    }

    public static func newEpoch() -> String {
        String(EventID.generate().rawValue.dropFirst(4).suffix(12)).lowercased()
    }

    public var channelCount: Int { channels.count }

    public func append(to channel: String, encode: (ChannelPosition) -> ByteBuffer) -> ByteBuffer {
        var log = channels[channel] ?? ChannelLog()
        let position = ChannelPosition(epoch: epoch, offset: log.nextOffset)
        log.nextOffset += 1
        let stamp = now()
        let frame = encode(position)
        log.entries.append(Entry(offset: position.offset, frame: frame, storedAt: stamp))
        trim(&log, now: stamp)
        channels[channel] = log
        return frame
    }

    public func position(of channel: String) -> ChannelPosition {
        ChannelPosition(epoch: epoch, offset: (channels[channel]?.nextOffset ?? 1) - 1)
    }

    public func frames(in channel: String, after position: ChannelPosition?) -> [ByteBuffer] {
        guard var log = channels[channel] else { return [] }
        trim(&log, now: now())
        channels[channel] = log
        let after = position?.epoch == epoch ? position!.offset : 0
        return log.entries.filter { $0.offset > after }.map(\.frame)
    }

    private func trim(_ log: inout ChannelLog, now: Int64) {
        let limit = now < warmUpEndsAt ? warmUpEvents : historyEvents
        while log.entries.count > limit { log.entries.removeFirst() }
        while let first = log.entries.first, now - first.storedAt > historyMilliseconds { log.entries.removeFirst() }
    }
}
