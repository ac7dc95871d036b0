import HeraldModel
import HeraldWire
import NIOCore

/// Why an upgrade request gets an HTTP error instead of `101 Switching Protocols`; the body is the usual
/// `{"ok":false,"error":{"code","message"}}` with the status that goes with the code.
public struct UpgradeRefusal: Error, Sendable, Hashable {
    public var code: ErrorCode
    public var message: String
    /// How long the client should wait before trying again (`Retry-After`), when the refusal is one to retry.
    public var retryAfterSeconds: Int?

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
        // A full edge, a user at their limit or a missing authorizer: worth another try in a few seconds.
        if code == .connectionLimit || code == .unavailable { retryAfterSeconds = 5 }
    }

    /// A failed `authorize-connect`: the token's fault (401), the user's connection limit (429) or the authorizer's
    /// absence (503).
    public init(verdict failure: WireFailure) {
        switch failure.errorCode {
        case .authenticationFailed: self.init(.authenticationFailed, failure.message)
        case .tokenExpired: self.init(.tokenExpired, failure.message)
        case .connectionLimit: self.init(.connectionLimit, failure.message)
        case .unavailable: self.init(.unavailable, "cannot check the token now: \(failure.message); retry shortly")
        default: self.init(.internal, "the authorizer could not check the token: \(failure.message)")
        }
    }

    public var status: Int { code.httpStatus }

    /// The JSON body.
    public var body: String {
        var body = ByteBuffer()
        body.writeStaticString(#"{"ok":false,"error":{"code":"#)
        body.writeJSONString(code.rawValue)
        body.writeStaticString(#","message":"#)
        body.writeJSONString(message)
        body.writeStaticString("}}")
        return String(buffer: body)
    }
}
