import HeraldModel
import HeraldWire
import NIOCore

/// Why an upgrade request gets an HTTP error instead of `101 Switching Protocols`; the body is the usual
/// `{"ok":false,"error":{"code","message"}}` with the status that goes with the code.
public struct UpgradeRefusal: Error, Sendable, Hashable {
    public var code: ErrorCode
    public var message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A failed `authorize-connect`: the token's fault (401) or the authorizer's absence (503).
    public init(verdict failure: WireFailure) {
        switch failure.errorCode {
        case .authenticationFailed: self.init(.authenticationFailed, failure.message)
        case .tokenExpired: self.init(.tokenExpired, failure.message)
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
