import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore

/// Herald's own protocol at `/ws` and `/api/ws` (docs/protocol.md): JSON text frames that name themselves in
/// `"type"`; commands carry an `id` and get exactly one `ack`. A token in the URL or `Authorization` header is
/// checked before the upgrade; without one, the first message must carry it.
public struct NativeProtocol: ClientProtocol {
    public static let paths = ["/ws", "/api/ws"]

    public init() {}

    public var name: String { "native" }

    public var deliveryEncoders: [any DeliveryEncoder] { [NativeDeliveryEncoder()] }

    public func serves(path: String) -> Bool { Self.paths.contains(path) }

    public func admit(_ request: ConnectionRequest) -> Admission {
        if let token = request.token, token.isEmpty {
            return .refuse(UpgradeRefusal(.authenticationFailed, "the token is empty"))
        }
        return .upgrade(token: request.token)
    }

    public func makeSession(_ context: SessionContext) -> any ProtocolSession {
        NativeProtocolSession(
            core: SessionCore(
                connectionID: context.connectionID, principal: context.principal, timing: context.settings.timing,
                now: context.now.deadline, wallMilliseconds: context.now.wallMilliseconds),
            lane: context.lanes[0], gate: ClientEventGate(settings: context.settings, now: context.now.deadline))
    }

    public func frame(for reply: ClientReply, allocator: ByteBufferAllocator) -> ByteBuffer {
        ServerFrame.text(allocator: allocator, payloadCapacity: 160) { $0.writeNativeReply(reply) }
    }

    public func deliveryFrame(for event: WireEvent, allocator: ByteBufferAllocator) -> ByteBuffer {
        NativeDeliveryEncoder().frame(for: event, allocator: allocator)
    }
}

/// The native `{"type":"event",…}` frame of a delivery, and the `{"type":"batch","events":[…]}` frame of a batch.
public struct NativeDeliveryEncoder: DeliveryEncoder {
    public init() {}

    public func frame(for event: WireEvent, allocator: ByteBufferAllocator) -> ByteBuffer {
        ServerFrame.text(allocator: allocator, payloadCapacity: Self.capacity(event)) { $0.writeNativeEvent(event) }
    }

    /// One frame for the whole batch: `{"type":"batch","events":[…]}` holding each event's `{"type":"event",…}`
    /// envelope, byte for byte as `frame(for:)` writes it, in delivery order.
    public func frames(for batch: [WireEvent], allocator: ByteBufferAllocator) -> ByteBuffer {
        let capacity = batch.reduce(32) { $0 + 1 + Self.capacity($1) }
        return ServerFrame.text(allocator: allocator, payloadCapacity: capacity) { frame in
            frame.writeStaticString(#"{"type":"batch","events":["#)
            for (index, event) in batch.enumerated() {
                if index > 0 { frame.writeInteger(UInt8(ascii: ",")) }
                frame.writeNativeEvent(event)
            }
            frame.writeStaticString("]}")
        }
    }

    private static func capacity(_ event: WireEvent) -> Int {
        256 + event.data.readableBytes + (event.metadata?.readableBytes ?? 0)
    }
}

extension ByteBuffer {
    /// `{"type":"event","id":…,"event":…,"channel":…,"timestamp":…,"user_id":…,"priority":…,"data":…,
    /// "metadata":…,"offset":…,"epoch":…}`: the canonical envelope (docs/protocol.md) with its type. `data`, `user_id` and
    /// `metadata` are the publisher's bytes, copied in unchanged; absent optional members are left out.
    mutating func writeNativeEvent(_ event: WireEvent) {
        writeStaticString(#"{"type":"event","id":"#)
        writeJSONString(event.id.rawValue)
        writeStaticString(#","event":"#)
        writeJSONString(event.name)
        writeStaticString(#","channel":"#)
        writeJSONString(event.channels.first ?? "")
        writeStaticString(#","timestamp":"#)
        writeJSONString(event.timestamp)
        writeUserIDMember(event.userID)
        writePriorityMember(event.priority)
        writeEnvelopeTail(of: event)
    }

    mutating func writeNativeReply(_ reply: ClientReply) {
        switch reply {
        case .connected(let connectionID, let userID, let channels):
            writeStaticString(#"{"type":"connected","connection_id":"#)
            writeJSONString(connectionID)
            writeStaticString(#","user_id":"#)
            writeJSONString(userID)
            writeStaticString(#","channels":["#)
            for (index, channel) in channels.enumerated() {
                if index > 0 { writeInteger(UInt8(ascii: ",")) }
                writeJSONString(channel)
            }
            writeStaticString("]}")
        case .ack(let id, .answer(let answer)):
            writeStaticString(#"{"type":"ack","id":"#)
            writeString(id.json)
            writeStaticString(#","ok":true,"data":"#)
            writeJSONRaw(answer)
            writeInteger(UInt8(ascii: "}"))
        case .ack(let id, let result):
            writeStaticString(#"{"type":"ack","id":"#)
            writeString(id.json)
            writeStaticString(#","ok":true,"data":"#)
            switch result {
            case .channel(let channel):
                writeStaticString(#"{"channel":"#)
                writeJSONString(channel)
            case .subscribed(let subscription):
                writeSubscription(subscription)
            case .pong(let milliseconds):
                writeStaticString(#"{"pong":"#)
                writeJSONNumber(milliseconds)
            case .refreshed(let expiresAt?):
                writeStaticString(#"{"expires_at":"#)
                writeJSONNumber(expiresAt)
            case .refreshed(nil):
                writeInteger(UInt8(ascii: "{"))
            case .published(let eventID):
                writeStaticString(#"{"id":"#)
                writeJSONString(eventID.rawValue)
            case .answer:
                preconditionFailure("answers are written whole above")
            }
            writeStaticString("}}")
        case .refused(let id, let code, let message):
            writeStaticString(#"{"type":"ack","id":"#)
            writeString(id.json)
            writeStaticString(#","ok":false,"error":"#)
            writeNativeError(code: code, message: message)
            writeInteger(UInt8(ascii: "}"))
        case .error(let code, let message):
            writeStaticString(#"{"type":"error","error":"#)
            writeNativeError(code: code, message: message)
            writeInteger(UInt8(ascii: "}"))
        case .tokenExpiring(let expiresAt):
            writeStaticString(#"{"type":"token_expiring","expires_at":"#)
            writeJSONNumber(expiresAt)
            writeInteger(UInt8(ascii: "}"))
        }
    }

    private mutating func writeNativeError(code: ErrorCode, message: String) {
        writeStaticString(#"{"code":"#)
        writeJSONString(code.rawValue)
        writeStaticString(#","message":"#)
        writeJSONString(message)
        writeInteger(UInt8(ascii: "}"))
    }
}

extension ByteBuffer {
    /// A subscribe acknowledgement's data without its closing brace: `{"channel","epoch","offset"`, then
    /// `"recovered"` and, when false, `"reason"`.
    fileprivate mutating func writeSubscription(_ subscription: Subscription) {
        writeStaticString(#"{"channel":"#)
        writeJSONString(subscription.channel)
        if let position = subscription.position {
            writeStaticString(#","epoch":"#)
            writeJSONString(position.epoch)
            writeStaticString(#","offset":"#)
            writeJSONNumber(position.offset)
        }
        switch subscription.recovery {
        case .recovered:
            writeStaticString(#","recovered":true"#)
        case .refused(let refusal):
            writeStaticString(#","recovered":false,"reason":"#)
            writeJSONString(refusal.rawValue)
        case nil:
            break
        }
    }
}
