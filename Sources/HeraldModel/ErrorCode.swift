/// The error codes Herald speaks on every surface: HTTP bodies, WebSocket frames, stage-to-stage `error`
/// frames and admin responses.
public enum ErrorCode: String, Sendable, Codable, CaseIterable {
    case authenticationFailed = "AUTHENTICATION_FAILED"
    case tokenExpired = "TOKEN_EXPIRED"
    case permissionDenied = "PERMISSION_DENIED"
    case roomNotFound = "ROOM_NOT_FOUND"
    case invalidPayload = "INVALID_PAYLOAD"
    case rateLimitExceeded = "RATE_LIMIT_EXCEEDED"
    case appPermissionDenied = "APP_PERMISSION_DENIED"
    case connectionLimit = "CONNECTION_LIMIT"
    case messageTooLarge = "MESSAGE_TOO_LARGE"
    case notFound = "NOT_FOUND"
    case unavailable = "UNAVAILABLE"
    case `internal` = "INTERNAL"

    /// The HTTP status that goes with the code.
    public var httpStatus: Int {
        switch self {
        case .invalidPayload: 400
        case .authenticationFailed, .tokenExpired: 401
        case .permissionDenied, .appPermissionDenied: 403
        case .notFound, .roomNotFound: 404
        case .messageTooLarge: 413
        case .rateLimitExceeded, .connectionLimit: 429
        case .unavailable: 503
        case .internal: 500
        }
    }
}

/// A Swift error that knows which wire code it maps to, and where it was raised.
public struct HeraldError: Error, Sendable, CustomStringConvertible {
    public let code: ErrorCode
    public let message: String
    /// For a rate limit: whole seconds until retrying can succeed (HTTP `Retry-After`).
    public let retryAfter: Int?
    public let file: String
    public let line: Int

    public init(
        _ code: ErrorCode, _ message: String, retryAfter: Int? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
        self.file = file
        self.line = line
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
