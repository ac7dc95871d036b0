/// Why an Engine.IO packet or polling payload was refused. A session answers by closing the transport: a polling
/// request gets HTTP 400, a WebSocket gets a close frame.
///
/// Two errors are equal when they have the same cause; the message text and where it was raised do not take part.
public struct EngineIOError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Cause: Hashable, Sendable {
        case emptyPacket
        case unknownPacketType(UInt8)
        case binaryNotSupported
        case payloadTooLarge(limit: Int)
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

    /// A packet with no type digit: an empty WebSocket frame, or two separators in a row in a polling payload.
    public static func emptyPacket(file: String = #fileID, line: Int = #line) -> EngineIOError {
        EngineIOError(
            .emptyPacket, "empty Engine.IO packet; every packet starts with a type digit 0-6", file: file, line: line)
    }

    /// The first byte of a packet is not a type digit from 0 (open) to 6 (noop).
    public static func unknownPacketType(_ byte: UInt8, file: String = #fileID, line: Int = #line) -> EngineIOError {
        EngineIOError(
            .unknownPacketType(byte),
            "unknown Engine.IO packet type \(EngineIOError.describe(byte)); expected a digit from 0 to 6",
            file: file, line: line
        )
    }

    /// A binary packet: a binary WebSocket frame, or a `b`-prefixed base64 packet in a polling payload.
    public static func binaryNotSupported(file: String = #fileID, line: Int = #line) -> EngineIOError {
        EngineIOError(
            .binaryNotSupported, "binary Engine.IO packets are not supported by this server; send text (JSON) only",
            file: file, line: line
        )
    }

    /// A polling payload grew past the `maxPayload` the server announced in its open packet.
    public static func payloadTooLarge(limit: Int, file: String = #fileID, line: Int = #line) -> EngineIOError {
        EngineIOError(
            .payloadTooLarge(limit: limit),
            "Engine.IO payload exceeds the \(limit)-byte maxPayload announced in the open packet; send fewer packets "
                + "per request",
            file: file, line: line
        )
    }

    public var description: String { message }

    public static func == (lhs: EngineIOError, rhs: EngineIOError) -> Bool { lhs.cause == rhs.cause }
    public func hash(into hasher: inout Hasher) { hasher.combine(cause) }

    /// A byte as a reader would want to see it: the character when printable ASCII, else its hex value.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte <= 0x7E { return "\"\(Character(Unicode.Scalar(byte)))\"" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
