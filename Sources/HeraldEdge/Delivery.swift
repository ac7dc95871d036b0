import HeraldModel
import HeraldWire
import NIOCore

/// Events ready for the connections of one event loop: their channel, who may see them, and their encoding per
/// delivery lane that has subscribers, each made once for the whole edge. Usually one event (`deliver`); a
/// batch (a batcher window's flush) carries several, which a connection gets in one write; a presence notice
/// carries none.
struct Delivery: Sendable {
    let channel: String
    /// Who may see it: the audience of every event it carries. For a batch whose events' audiences differ it
    /// admits everyone, and `parts` decides per event.
    let audience: Audience
    /// Indexed by `DeliveryLane.index`; nil for lanes nobody on the channel takes.
    let frames: [ByteBuffer?]
    /// The events carried, in delivery order; empty for a presence notice. A connection whose channel is held
    /// while it recovers keeps the delivery and, through these, knows what it holds.
    let events: [WireEvent]
    /// Set for a batch of which some connections get only part: the events' audiences differ, or some would be
    /// dropped for a connection that is behind and others not.
    let parts: BatchParts?

    init(
        channel: String, audience: Audience, frames: [ByteBuffer?], events: [WireEvent] = [], parts: BatchParts? = nil
    ) {
        self.channel = channel
        self.audience = audience
        self.frames = frames
        self.events = events
        self.parts = parts
    }

    /// The events of one batch on `channel`, encoded once as a batch for each of `lanes`.
    init(
        batch events: [WireEvent], channel: String, lanes: some Sequence<DeliveryLane>,
        encoders: [any DeliveryEncoder], allocator: ByteBufferAllocator
    ) {
        var frames = [ByteBuffer?](repeating: nil, count: encoders.count)
        for lane in lanes { frames[lane.index] = encoders[lane.index].frames(for: events, allocator: allocator) }
        let parts = BatchParts.of(events, encoders: encoders, allocator: allocator)
        let audience = parts.map { $0.audiences.count == 1 ? $0.audiences[0] : Audience() } ?? events.first?.audience
        self.init(
            channel: channel, audience: audience ?? Audience(), frames: frames, events: events, parts: parts)
    }

    /// The position of the last event carried; nil for presence notices.
    var lastPosition: ChannelPosition? {
        guard let last = events.last, let epoch = last.epoch, let offset = last.offset else { return nil }
        return ChannelPosition(epoch: epoch, offset: offset)
    }

    /// Whether a recovery that replayed through `position` already wrote everything this delivery carries
    /// (a batch is numbered at once, so it lies wholly before or after any recovery's answer).
    func wasReplayed(through position: ChannelPosition) -> Bool {
        guard let last = lastPosition else { return false }
        return last.epoch == position.epoch && last.offset <= position.offset
    }
}
