import HeraldModel
import HeraldWire
import NIOCore

/// Events ready for the connections of one event loop: their channel, who may see them, and their frame per
/// delivery lane that has subscribers, each encoded once for the whole edge. Presence notices carry no events.
struct Delivery: Sendable {
    let channel: String
    let audience: Audience
    /// Indexed by `DeliveryLane.index`; nil for lanes nobody on the channel takes.
    let frames: [ByteBuffer?]
    /// The events the frames carry, in order (a recovering connection decides by their positions).
    var events: [WireEvent] = []

    /// The position of the last event carried; nil for presence notices.
    var lastPosition: ChannelPosition? {
        guard let last = events.last, let epoch = last.epoch, let offset = last.offset else { return nil }
        return ChannelPosition(epoch: epoch, offset: offset)
    }

    /// Whether a recovery that replayed through `position` already wrote everything this delivery carries.
    func wasReplayed(through position: ChannelPosition) -> Bool {
        guard let last = lastPosition else { return false }
        return last.epoch == position.epoch && last.offset <= position.offset
    }
}
