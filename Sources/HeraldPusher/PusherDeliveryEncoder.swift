import HeraldDaemonKit
import HeraldEdge
import HeraldWire
import NIOCore

/// Deliveries as Pusher clients expect them: `{"event","channel","data"}` with `data` a string. An event whose
/// data is a JSON string (as Pusher's HTTP API and Laravel publish it) keeps that string; any other JSON is
/// sent as its text. `user_id` is added when the event has one (client events on presence channels). Pusher has
/// no batch message: a batch is its events' frames one after the other in one buffer (the default `frames(for:)`).
public struct PusherDeliveryEncoder: DeliveryEncoder {
    public init() {}

    public func frame(for event: WireEvent, allocator: ByteBufferAllocator) -> ByteBuffer {
        let channel = event.channels.first ?? ""
        let capacity = 96 + event.name.utf8.count + channel.utf8.count + 2 * event.data.readableBytes
        return ServerFrame.text(allocator: allocator, payloadCapacity: capacity) { frame in
            frame.writeStaticString(#"{"event":"#)
            frame.writeJSONString(event.name)
            frame.writeStaticString(#","channel":"#)
            frame.writeJSONString(channel)
            frame.writeStaticString(#","data":"#)
            frame.writePusherData(event.data)
            if let userID = event.userID, userID.readableBytes > 0 {
                frame.writeStaticString(#","user_id":"#)
                if userID.readableBytesView.first == UInt8(ascii: "\"") {
                    frame.writeJSONRaw(userID)
                } else {
                    frame.writeJSONString(String(buffer: userID))
                }
            }
            frame.writeStaticString("}")
        }
    }

    public func presenceFrame(_ notice: StageRequests.PresenceNotice, allocator: ByteBufferAllocator) -> ByteBuffer? {
        PusherFrame.presence(channel: notice.channel, change: notice.change, allocator: allocator)
    }
}

extension ByteBuffer {
    /// A JSON string value stays as it is; anything else becomes a string holding its JSON text (`null` for an
    /// empty payload).
    mutating func writePusherData(_ data: ByteBuffer) {
        guard data.readableBytes > 0 else {
            writeStaticString(#""null""#)
            return
        }
        if data.readableBytesView.first == UInt8(ascii: "\"") {
            writeJSONRaw(data)
        } else {
            writeJSONString(String(buffer: data))
        }
    }
}
