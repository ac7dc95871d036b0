import HeraldModel

/// Why a frame or its JSON was refused. The receiver answers with an `error` frame built from `failure` and closes
/// the connection; the daemon itself keeps running.
///
/// Two errors are equal when they have the same cause (kind, and the length, offset, field or type involved);
/// the message text and the place where the error was raised do not take part.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Cause: Hashable, Sendable {
        case frameTooLarge(length: Int, limit: Int)
        case emptyFrame
        case malformedJSON(offset: Int)
        case invalidField(String)
        case unknownType(String)
    }

    private let cause: Cause
    /// What went wrong and what the sender should do about it.
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

    /// A frame announced a payload longer than the receiver accepts.
    public static func frameTooLarge(
        _ length: Int, _ limit: Int, file: String = #fileID, line: Int = #line
    ) -> WireError {
        WireError(
            .frameTooLarge(length: length, limit: limit),
            "frame of \(length) bytes exceeds the \(limit)-byte limit; send smaller payloads",
            file: file, line: line
        )
    }

    /// A frame announced a payload of zero bytes, which cannot hold a JSON object.
    public static func emptyFrame(file: String = #fileID, line: Int = #line) -> WireError {
        WireError(.emptyFrame, "frame of 0 bytes; every frame carries one JSON object", file: file, line: line)
    }

    /// The payload is not valid JSON (RFC 8259) at `offset` bytes into it.
    public static func malformedJSON(
        _ reason: String, at offset: Int, file: String = #fileID, line: Int = #line
    ) -> WireError {
        WireError(
            .malformedJSON(offset: offset), "malformed JSON at byte \(offset): \(reason)", file: file, line: line
        )
    }

    /// The JSON is valid but a field of the message is missing, has the wrong type or an invalid value.
    /// `field` is its path, such as `event.channels[0]`.
    public static func invalidField(
        _ field: String, _ reason: String, file: String = #fileID, line: Int = #line
    ) -> WireError {
        WireError(.invalidField(field), "\(field): \(reason)", file: file, line: line)
    }

    /// The message names a `type` this protocol version does not know.
    public static func unknownType(_ type: String, file: String = #fileID, line: Int = #line) -> WireError {
        WireError(
            .unknownType(type),
            "unknown message type \"\(type)\"; expected one of hello, event, ack, settled, request, response, "
                + "error, deliver, batch",
            file: file, line: line
        )
    }

    /// The code sent back in the `error` frame.
    public var code: ErrorCode {
        switch cause {
        case .frameTooLarge: .messageTooLarge
        case .emptyFrame, .malformedJSON, .invalidField, .unknownType: .invalidPayload
        }
    }

    /// The `error` frame's contents for this error.
    public var failure: WireFailure { WireFailure(code: code.rawValue, message: message) }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func == (lhs: WireError, rhs: WireError) -> Bool { lhs.cause == rhs.cause }
    public func hash(into hasher: inout Hasher) { hasher.combine(cause) }
}
