import HeraldWire

/// One event on one of its channels: the unit the delivery windows hold, coalesce and flush. The batcher splits
/// an event published on several channels into one of these per channel.
public struct EventOnChannel: Sendable, Hashable {
    public var channel: String
    public var event: WireEvent

    public init(channel: String, event: WireEvent) {
        self.channel = channel
        self.event = event
    }
}
