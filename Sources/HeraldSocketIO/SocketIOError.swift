/// Why a Socket.IO packet was refused. The specification asks the receiver to close the connection on any of
/// these; `message` says why, for the client's developer.
///
/// Two errors are equal when they have the same cause; the message text and where it was raised do not take part.
public struct SocketIOError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Cause: Hashable, Sendable {
        case emptyPacket
        case unknownPacketType(UInt8)
        case invalidAttachmentCount
        case invalidNamespace
        case ackIDOutOfRange
        case unexpectedAckID(SocketPacketType)
        case missingAckID(SocketPacketType)
        case malformedPayload
        case missingPayload(SocketPacketType)
        case unexpectedPayload(SocketPacketType)
        case invalidPayload(SocketPacketType)
        case reservedEventName(String)
    }

    private let cause: Cause
    /// What went wrong, written for the peer's developer.
    public let message: String
    /// Where the error was raised (`#fileID`).
    public let file: String
    /// Where the error was raised (`#line`).
    public let line: Int

    private init(_ cause: Cause, _ message: String, file: String, line: Int) {
        self.cause = cause
        self.message = message
        self.file = file
        self.line = line
    }

    /// An Engine.IO message with no data, so no Socket.IO packet type.
    public static func emptyPacket(file: String = #fileID, line: Int = #line) -> SocketIOError {
        SocketIOError(.emptyPacket, "empty Socket.IO packet; it starts with a type digit 0-6", file: file, line: line)
    }

    /// The first byte is not a packet type digit from 0 (CONNECT) to 6 (BINARY_ACK).
    public static func unknownPacketType(_ byte: UInt8, file: String = #fileID, line: Int = #line) -> SocketIOError {
        SocketIOError(
            .unknownPacketType(byte),
            "unknown Socket.IO packet type \(EngineIOError.describe(byte)); expected a digit from 0 to 6",
            file: file, line: line
        )
    }

    /// A binary packet without its `<count>-` header, or with a count too long to be real.
    public static func invalidAttachmentCount(file: String = #fileID, line: Int = #line) -> SocketIOError {
        SocketIOError(
            .invalidAttachmentCount, "a binary packet starts with its attachment count and '-', as in 51-[…]",
            file: file, line: line
        )
    }

    /// A namespace that does not start with `/`, is too long, or holds characters other than printable ASCII
    /// (quotes, brackets, braces and spaces excluded); often a namespace not followed by its `,`.
    public static func invalidNamespace(file: String = #fileID, line: Int = #line) -> SocketIOError {
        SocketIOError(
            .invalidNamespace,
            "invalid namespace: it starts with '/', holds at most \(SocketNamespace.maximumBytes) printable ASCII "
                + "characters without quotes, brackets, braces or spaces, and is followed by ',' before an ack id "
                + "or payload",
            file: file, line: line
        )
    }

    /// An ack id above `SocketAckID.maximum`.
    public static func ackIDOutOfRange(file: String = #fileID, line: Int = #line) -> SocketIOError {
        SocketIOError(
            .ackIDOutOfRange, "ack id is larger than \(SocketAckID.maximum); ids are small counters",
            file: file, line: line
        )
    }

    /// An ack id on a packet type that cannot carry one.
    public static func unexpectedAckID(
        _ type: SocketPacketType, file: String = #fileID, line: Int = #line
    ) -> SocketIOError {
        SocketIOError(.unexpectedAckID(type), "\(type) packets carry no ack id", file: file, line: line)
    }

    /// An ACK without the id of the EVENT it answers.
    public static func missingAckID(
        _ type: SocketPacketType, file: String = #fileID, line: Int = #line
    ) -> SocketIOError {
        SocketIOError(.missingAckID(type), "\(type) packets need the ack id they answer", file: file, line: line)
    }

    /// The payload is not valid JSON; `reason` says where.
    public static func malformedPayload(_ reason: String, file: String = #fileID, line: Int = #line) -> SocketIOError {
        SocketIOError(.malformedPayload, "payload is not valid JSON: \(reason)", file: file, line: line)
    }

    /// A packet type whose payload is mandatory came without one.
    public static func missingPayload(
        _ type: SocketPacketType, file: String = #fileID, line: Int = #line
    ) -> SocketIOError {
        SocketIOError(.missingPayload(type), "\(type) packets need a payload", file: file, line: line)
    }

    /// A payload on a packet type that takes none.
    public static func unexpectedPayload(
        _ type: SocketPacketType, file: String = #fileID, line: Int = #line
    ) -> SocketIOError {
        SocketIOError(.unexpectedPayload(type), "\(type) packets carry no payload", file: file, line: line)
    }

    /// Valid JSON of the wrong shape for the packet type; `reason` says which shape was expected.
    public static func invalidPayload(
        _ type: SocketPacketType, _ reason: String, file: String = #fileID, line: Int = #line
    ) -> SocketIOError {
        SocketIOError(.invalidPayload(type), "\(type) payload: \(reason)", file: file, line: line)
    }

    /// An EVENT named like one of the events Socket.IO keeps for itself (`connect`, `disconnect`, …).
    public static func reservedEventName(_ name: String, file: String = #fileID, line: Int = #line) -> SocketIOError {
        SocketIOError(
            .reservedEventName(name), "\"\(name)\" is reserved by Socket.IO and cannot be sent as an event",
            file: file, line: line
        )
    }

    public var description: String { message }

    public static func == (lhs: SocketIOError, rhs: SocketIOError) -> Bool { lhs.cause == rhs.cause }
    public func hash(into hasher: inout Hasher) { hasher.combine(cause) }
}
