import HeraldModel
import NIOCore

/// One event ready for the connections of one event loop: its channel, who may see it, and its frame per
/// client protocol, each encoded once for the whole edge.
struct Delivery: Sendable {
    let channel: String
    let audience: Audience
    /// Indexed like the edge's protocols (`EdgeConnection.protocolIndex`).
    let frames: [ByteBuffer]
}
