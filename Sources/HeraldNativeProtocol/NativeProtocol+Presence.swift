import HeraldDaemonKit
import HeraldEdge
import HeraldWire
import NIOCore

/// Presence in the native protocol (docs/protocol.md, "Presence"): members of `presence-` channels and rooms,
/// the `presence` command's answer and the `{"type":"presence",…}` frames.
extension NativeProtocol {
    /// Channels whose subscribers are members: `presence-…` and rooms (`room.{roomId}`).
    public static func isPresence(_ channel: String) -> Bool {
        channel.hasPrefix("presence-") || channel.hasPrefix("room.")
    }

    /// `{"type":"ack","id":…,"ok":true,"data":{"channel":…,"members":[{"id","info"?,"since"?}],"count":n}}`.
    public func presenceAnswer(
        id: CommandID, channel: String, members: [PresenceMember], allocator: ByteBufferAllocator
    )
        -> ByteBuffer
    {
        ServerFrame.text(allocator: allocator, payloadCapacity: 96 + members.count * 64) { frame in
            frame.writeStaticString(#"{"type":"ack","id":"#)
            frame.writeString(id.json)
            frame.writeStaticString(#","ok":true,"data":{"channel":"#)
            frame.writeJSONString(channel)
            frame.writeStaticString(#","members":"#)
            frame.writeJSONArray(members) { buffer, member in member.encode(into: &buffer) }
            frame.writeStaticString(#","count":"#)
            frame.writeJSONNumber(members.count)
            frame.writeStaticString("}}")
        }
    }
}

extension NativeDeliveryEncoder {
    /// `{"type":"presence","channel":…,"action":"join"|"leave","user":{"id",…},"timestamp":ms}`: the user's
    /// first connection anywhere joined, or its last one left and the grace ran out.
    public func presenceFrame(_ notice: StageRequests.PresenceNotice, allocator: ByteBufferAllocator) -> ByteBuffer? {
        ServerFrame.text(allocator: allocator, payloadCapacity: 160) { frame in
            frame.writeStaticString(#"{"type":"presence","channel":"#)
            frame.writeJSONString(notice.channel)
            switch notice.change {
            case .added(let member):
                frame.writeStaticString(#","action":"join","user":"#)
                member.encode(into: &frame)
            case .removed(let userID):
                frame.writeStaticString(#","action":"leave","user":{"id":"#)
                frame.writeJSONString(userID)
                frame.writeStaticString("}")
            }
            frame.writeStaticString(#","timestamp":"#)
            frame.writeJSONNumber(notice.time)
            frame.writeStaticString("}")
        }
    }
}
