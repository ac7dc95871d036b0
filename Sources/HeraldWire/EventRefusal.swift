import HeraldModel

/// The body of a `refused` frame: the receiver will not take one event, and says why. The sender forgets the
/// event instead of resending it, and tells whoever waits for it (a publisher at ingress) the code and message.
public struct EventRefusal: Sendable, Hashable, CustomStringConvertible {
    /// The refused event.
    public var id: EventID
    /// An `ErrorCode` raw value, such as `RATE_LIMIT_EXCEEDED` or `PERMISSION_DENIED`.
    public var code: String
    /// Why, written for the publisher: which limit or rule refused the event and what to do.
    public var message: String
    /// For rate limits: whole seconds until the event would be taken.
    public var retryAfter: Int?

    public init(id: EventID, code: String, message: String, retryAfter: Int? = nil) {
        self.id = id
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public init(id: EventID, _ code: ErrorCode, _ message: String, retryAfter: Int? = nil) {
        self.init(id: id, code: code.rawValue, message: message, retryAfter: retryAfter)
    }

    /// The refusal as the error a waiting caller receives; an unknown code reads as `INTERNAL`.
    public var error: HeraldError {
        HeraldError(ErrorCode(rawValue: code) ?? .internal, message, retryAfter: retryAfter)
    }

    public var description: String { "\(id) \(code): \(message)" }
}
