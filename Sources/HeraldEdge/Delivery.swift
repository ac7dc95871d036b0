import HeraldModel
import NIOCore

/// One event ready for the connections of one event loop: its channel, who may see it, and its frame per
/// delivery lane that has subscribers, each encoded once for the whole edge.
struct Delivery: Sendable {
    let channel: String
    let audience: Audience
    /// Indexed by `DeliveryLane.index`; nil for lanes nobody on the channel takes.
    let frames: [ByteBuffer?]
}
