import HeraldWire
import NIOCore

extension SocketPacket {
    /// Event names Socket.IO keeps for itself; an EVENT carrying one is refused.
    public static let reservedEventNames: Set<String> = [
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    ]

    /// Decodes one packet from the data of an Engine.IO message (the text after the `4`).
    ///
    /// Validation follows the Socket.IO v5 specification: a namespace starts with `/` and ends with `,`; an ack id
    /// is decimal digits up to `SocketAckID.maximum`; CONNECT takes an optional object, DISCONNECT nothing, EVENT a
    /// non-empty array whose first element is the event name, ACK an array and an ack id, CONNECT_ERROR an object
    /// with a `message`. BINARY_EVENT and BINARY_ACK decode to `.binaryNotSupported` from their header alone.
    /// Every refusal is a `SocketIOError`.
    public static func decode(_ text: ByteBuffer) throws(SocketIOError) -> SocketPacket {
        var reader = text
        guard let first = reader.readInteger(as: UInt8.self) else { throw .emptyPacket() }
        guard let type = SocketPacketType(digit: first) else { throw .unknownPacketType(first) }
        let attachments = type.isBinary ? try readAttachmentCount(&reader) : 0
        let namespace = try readNamespace(&reader)
        let ackID = try readAckID(&reader)

        if type.isBinary {
            if type == .binaryAck, ackID == nil { throw .missingAckID(type) }
            let header = SocketBinaryPacket(type: type, namespace: namespace, attachments: attachments, ackID: ackID)
            return .binaryNotSupported(header)
        }
        if type != .event, type != .ack, ackID != nil { throw .unexpectedAckID(type) }
        let payload = try readPayload(reader)

        switch type {
        case .connect:
            return .connect(try connect(namespace, payload))
        case .disconnect:
            guard payload == nil else { throw .unexpectedPayload(type) }
            return .disconnect(namespace)
        case .event:
            return .event(try event(namespace, ackID, payload))
        case .ack:
            guard let ackID else { throw .missingAckID(type) }
            let arguments = try array(of: type, payload)
            return .ack(SocketAck(namespace: namespace, ackID: ackID, arguments: arguments))
        case .connectError:
            return .connectError(try connectError(namespace, payload))
        case .binaryEvent, .binaryAck:
            preconditionFailure("binary packets returned above")
        }
    }

    private static func connect(_ namespace: SocketNamespace, _ payload: JSONValueRef?) throws(SocketIOError)
        -> SocketConnect
    {
        guard let payload else { return SocketConnect(namespace: namespace) }
        let object = try object(of: .connect, payload)
        return SocketConnect(
            namespace: namespace, auth: payload, pid: try optionalString("pid", in: object),
            offset: try optionalString("offset", in: object)
        )
    }

    private static func event(
        _ namespace: SocketNamespace, _ ackID: SocketAckID?, _ payload: JSONValueRef?
    ) throws(SocketIOError) -> SocketEvent {
        var elements = try array(of: .event, payload)
        guard !elements.isEmpty else {
            throw .invalidPayload(.event, "the array must start with the event name")
        }
        guard let name = elements.removeFirst().string else {
            throw .invalidPayload(.event, "the first element, the event name, must be a string")
        }
        guard !reservedEventNames.contains(name) else { throw .reservedEventName(name) }
        return SocketEvent(namespace: namespace, ackID: ackID, name: name, arguments: elements)
    }

    private static func connectError(
        _ namespace: SocketNamespace, _ payload: JSONValueRef?
    ) throws(SocketIOError) -> SocketConnectError {
        guard let payload else { throw .missingPayload(.connectError) }
        let object = try object(of: .connectError, payload)
        guard let message = object["message"]?.value.string else {
            throw .invalidPayload(.connectError, "\"message\" must be a string")
        }
        return SocketConnectError(namespace: namespace, message: message, data: object["data"]?.value)
    }

    private static func object(of type: SocketPacketType, _ payload: JSONValueRef) throws(SocketIOError) -> JSONObject {
        guard payload.kind == .object, let object = try? payload.object() else {
            throw .invalidPayload(type, "must be a JSON object, found \(payload.kind.rawValue)")
        }
        return object
    }

    private static func array(
        of type: SocketPacketType, _ payload: JSONValueRef?
    ) throws(SocketIOError) -> [JSONValueRef] {
        guard let payload else { throw .missingPayload(type) }
        guard payload.kind == .array, let elements = try? payload.array() else {
            throw .invalidPayload(type, "must be a JSON array, found \(payload.kind.rawValue)")
        }
        return elements
    }

    private static func optionalString(_ key: String, in object: JSONObject) throws(SocketIOError) -> String? {
        guard let member = object[key] else { return nil }
        guard let string = member.value.string else {
            throw .invalidPayload(.connect, "\"\(key)\" must be a string, found \(member.value.kind.rawValue)")
        }
        return string
    }

    /// `<digits>-` after a binary type digit.
    private static func readAttachmentCount(_ reader: inout ByteBuffer) throws(SocketIOError) -> Int {
        let digits = reader.readableBytesView.prefix(while: isDigit)
        guard !digits.isEmpty, digits.count <= 6,
            reader.getInteger(at: reader.readerIndex + digits.count, as: UInt8.self) == UInt8(ascii: "-")
        else { throw .invalidAttachmentCount() }
        let count = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        reader.moveReaderIndex(forwardBy: digits.count + 1)
        return count
    }

    /// `/path,` or `/path` at the very end; the main namespace when the next byte is not `/`.
    private static func readNamespace(_ reader: inout ByteBuffer) throws(SocketIOError) -> SocketNamespace {
        guard reader.getInteger(at: reader.readerIndex, as: UInt8.self) == UInt8(ascii: "/") else { return .main }
        let view = reader.readableBytesView
        let end = view.firstIndex(of: UInt8(ascii: ",")) ?? view.endIndex
        let bytes = view[view.startIndex..<end]
        guard SocketNamespace.isValid(bytes) else { throw .invalidNamespace() }
        let namespace = SocketNamespace(uncheckedPath: String(decoding: bytes, as: UTF8.self))
        reader.moveReaderIndex(to: min(end + 1, reader.writerIndex))
        return namespace
    }

    /// A run of decimal digits, if any.
    private static func readAckID(_ reader: inout ByteBuffer) throws(SocketIOError) -> SocketAckID? {
        let digits = reader.readableBytesView.prefix(while: isDigit)
        guard !digits.isEmpty else { return nil }
        guard digits.count <= SocketAckID.maximumDigits else { throw .ackIDOutOfRange() }
        let value = digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) }
        guard let id = SocketAckID(value) else { throw .ackIDOutOfRange() }
        reader.moveReaderIndex(forwardBy: digits.count)
        return id
    }

    /// The rest of the packet as one JSON value, or `nil` when nothing is left.
    private static func readPayload(_ reader: ByteBuffer) throws(SocketIOError) -> JSONValueRef? {
        guard reader.readableBytes > 0 else { return nil }
        do {
            return try JSONScanner.value(reader)
        } catch let error as WireError {
            throw .malformedPayload(error.message)
        } catch {
            throw .malformedPayload("unreadable JSON")
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
