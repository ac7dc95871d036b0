import HeraldModel
import HeraldWire

/// Events of one channel and one priority that go out together, in delivery order.
public struct ChannelBatch: Sendable, Hashable {
    public var channel: String
    public var priority: Priority
    public var events: [WireEvent]

    public init(channel: String, priority: Priority, events: [WireEvent]) {
        self.channel = channel
        self.priority = priority
        self.events = events
    }
}
