import HeraldModel
import HeraldWire
import NIOCore

/// Where a channel's events are numbered and remembered. `memory` keeps them in this process; a Redis
/// engine (several hosts) will keep offsets and history in streams and fan out through PUBLISH.
///
/// Engines are confined to the batcher's event loop.
public protocol BatcherEngine: AnyObject {
    /// Gives the next place in `channel` to a delivery frame that `encode` writes, remembers the frame in the
    /// channel's history, and returns it.
    func append(to channel: String, encode: (ChannelPosition) -> ByteBuffer) -> ByteBuffer
    /// The frames after `position` in `channel`: all of the current epoch's history when the epoch differs.
    func frames(in channel: String, after position: ChannelPosition?) -> [ByteBuffer]
    /// The last position handed out in `channel` (offset 0 when it has none yet).
    func position(of channel: String) -> ChannelPosition
    var channelCount: Int { get }
}
