import HeraldDaemonKit
import HeraldEdge
import HeraldWire
import NIOCore

/// The messages an edge sends Pusher clients, each a complete WebSocket text frame. Where the protocol carries
/// `data` as a string holding JSON (connection, subscription and member events, and every delivered event),
/// the JSON is written first and then written again as a string.
public enum PusherFrame {
    public static func connectionEstablished(
        socketID: String, activityTimeout: Int, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        var inner = ByteBuffer()
        inner.writeStaticString(#"{"socket_id":"#)
        inner.writeJSONString(socketID)
        inner.writeStaticString(#","activity_timeout":"#)
        inner.writeJSONNumber(activityTimeout)
        inner.writeStaticString("}")
        return message("pusher:connection_established", channel: nil, stringData: inner, allocator: allocator)
    }

    public static func ping(allocator: ByteBufferAllocator) -> ByteBuffer {
        ServerFrame.text(allocator: allocator, payloadCapacity: 40) {
            $0.writeStaticString(#"{"event":"pusher:ping","data":{}}"#)
        }
    }

    public static func pong(allocator: ByteBufferAllocator) -> ByteBuffer {
        ServerFrame.text(allocator: allocator, payloadCapacity: 40) {
            $0.writeStaticString(#"{"event":"pusher:pong","data":{}}"#)
        }
    }

    /// `pusher:error`; `code` nil for errors that are not about the connection.
    public static func error(code: UInt16?, message: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        ServerFrame.text(allocator: allocator, payloadCapacity: 80 + message.utf8.count) { frame in
            frame.writeStaticString(#"{"event":"pusher:error","data":{"code":"#)
            if let code { frame.writeJSONNumber(Int(code)) } else { frame.writeStaticString("null") }
            frame.writeStaticString(#","message":"#)
            frame.writeJSONString(message)
            frame.writeStaticString("}}")
        }
    }

    /// `pusher_internal:subscription_succeeded`, with the member list on a presence channel.
    public static func subscriptionSucceeded(
        channel: String, members: [PresenceMember]?, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        var inner = ByteBuffer()
        if let members {
            inner.writeStaticString(#"{"presence":{"ids":["#)
            for (index, member) in members.enumerated() {
                if index > 0 { inner.writeStaticString(",") }
                inner.writeJSONString(member.userID)
            }
            inner.writeStaticString(#"],"hash":{"#)
            for (index, member) in members.enumerated() {
                if index > 0 { inner.writeStaticString(",") }
                inner.writeJSONString(member.userID)
                inner.writeStaticString(":")
                inner.writeMemberInfo(member.info)
            }
            inner.writeStaticString(#"},"count":"#)
            inner.writeJSONNumber(members.count)
            inner.writeStaticString("}}")
        } else {
            inner.writeStaticString("{}")
        }
        return message(
            "pusher_internal:subscription_succeeded", channel: channel, stringData: inner, allocator: allocator)
    }

    /// `pusher:subscription_error`: the subscription was refused (`status` 401 for a bad signature, 403 when the
    /// authorizer says no).
    public static func subscriptionError(
        channel: String, status: Int, error: String, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        ServerFrame.text(allocator: allocator, payloadCapacity: 120 + channel.utf8.count + error.utf8.count) { frame in
            frame.writeStaticString(#"{"event":"pusher:subscription_error","channel":"#)
            frame.writeJSONString(channel)
            frame.writeStaticString(#","data":{"type":"AuthError","error":"#)
            frame.writeJSONString(error)
            frame.writeStaticString(#","status":"#)
            frame.writeJSONNumber(status)
            frame.writeStaticString("}}")
        }
    }

    public static func signInSuccess(userData: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        ServerFrame.text(allocator: allocator, payloadCapacity: 64 + userData.utf8.count) { frame in
            frame.writeStaticString(#"{"event":"pusher:signin_success","data":{"user_data":"#)
            frame.writeJSONString(userData)
            frame.writeStaticString("}}")
        }
    }

    /// `pusher_internal:member_added` / `member_removed`.
    public static func presence(channel: String, change: PresenceChange, allocator: ByteBufferAllocator) -> ByteBuffer {
        var inner = ByteBuffer()
        switch change {
        case .added(let member):
            inner.writeStaticString(#"{"user_id":"#)
            inner.writeJSONString(member.userID)
            inner.writeStaticString(#","user_info":"#)
            inner.writeMemberInfo(member.info)
            inner.writeStaticString("}")
            return message("pusher_internal:member_added", channel: channel, stringData: inner, allocator: allocator)
        case .removed(let userID):
            inner.writeStaticString(#"{"user_id":"#)
            inner.writeJSONString(userID)
            inner.writeStaticString("}")
            return message("pusher_internal:member_removed", channel: channel, stringData: inner, allocator: allocator)
        }
    }

    /// `{"event":…,"channel":…,"data":"<JSON as a string>"}`.
    static func message(
        _ event: String, channel: String?, stringData inner: ByteBuffer, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        ServerFrame.text(allocator: allocator, payloadCapacity: 64 + event.utf8.count + 2 * inner.readableBytes) {
            frame in
            frame.writeStaticString(#"{"event":"#)
            frame.writeJSONString(event)
            if let channel {
                frame.writeStaticString(#","channel":"#)
                frame.writeJSONString(channel)
            }
            frame.writeStaticString(#","data":"#)
            frame.writeJSONString(String(buffer: inner))
            frame.writeStaticString("}")
        }
    }
}

extension ByteBuffer {
    fileprivate mutating func writeMemberInfo(_ info: ByteBuffer?) {
        if let info, info.readableBytes > 0 { writeJSONRaw(info) } else { writeStaticString("null") }
    }
}
