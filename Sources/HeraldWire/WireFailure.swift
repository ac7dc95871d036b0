import HeraldModel

/// A refusal sent over the wire: the body of an `error` frame, or of a failed `response`.
///
/// `code` stays a string so that a peer running a newer version can send codes this one does not know yet.
public struct WireFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// An `ErrorCode` raw value such as `PERMISSION_DENIED`.
    public var code: String
    /// What went wrong, for people reading logs.
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public init(_ code: ErrorCode, _ message: String) {
        self.init(code: code.rawValue, message: message)
    }

    /// The code as an `ErrorCode`, or `nil` when this version does not know it.
    public var errorCode: ErrorCode? { ErrorCode(rawValue: code) }

    public var description: String { "\(code): \(message)" }
}
