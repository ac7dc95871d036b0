import HeraldModel
import HeraldWire
import NIOCore
import NIOHTTP1

/// One HTTP answer of the publish API: status, extra headers and a JSON body. The handler adds
/// `Content-Type`, `Content-Length`, `X-Request-Id` and `Connection`.
public struct IngressResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(), body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `{"ok":false,"error":{"code":…,"message":…}}` with the status that goes with the code, and `Retry-After`
    /// when retrying later will help: the error's own delay (a rate limit's), else 1 s.
    public static func error(_ error: HeraldError) -> IngressResponse {
        var response = failure(
            status: HTTPResponseStatus(statusCode: error.code.httpStatus), code: error.code.rawValue,
            message: error.message)
        if let retryAfter = error.retryAfter {
            response.headers.add(name: "Retry-After", value: "\(retryAfter)")
        } else if error.code == .unavailable || error.code == .rateLimitExceeded {
            response.headers.add(name: "Retry-After", value: "1")
        }
        return response
    }

    /// The error body with any status and code, for the answers `ErrorCode` has no code for (405).
    public static func failure(status: HTTPResponseStatus, code: String, message: String) -> IngressResponse {
        var body = ByteBuffer()
        body.reserveCapacity(64 + code.utf8.count + message.utf8.count)
        body.writeStaticString(#"{"ok":false,"error":{"code":"#)
        body.writeJSONString(code)
        body.writeStaticString(#","message":"#)
        body.writeJSONString(message)
        body.writeStaticString("}}")
        return IngressResponse(status: status, body: body)
    }

    /// 404 for a path no endpoint serves.
    public static func notFound(path: String) -> IngressResponse {
        error(
            HeraldError(
                .notFound,
                "no endpoint at \(path); ingress serves POST /api/broadcast, POST /api/events, "
                    + "POST /api/rooms/{roomId}/events, "
                    + "POST /apps/{appId}/events, POST /apps/{appId}/batch_events, GET /apps/{appId}/channels[/{channel}"
                    + "[/users]], POST /apps/{appId}/users/{userId}/terminate_connections, GET /health and "
                    + "GET /api/ws/info"))
    }

    /// 405 with `Allow` for a known path asked with the wrong method.
    public static func methodNotAllowed(path: String, method: HTTPMethod, allowed: [HTTPMethod]) -> IngressResponse {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        var response = failure(
            status: .methodNotAllowed, code: "METHOD_NOT_ALLOWED",
            message: "\(path) does not take \(method.rawValue); use \(allow)")
        response.headers.add(name: "Allow", value: allow)
        return response
    }

    /// 202 for `/api/broadcast`: `{"ok":true,"id":…}`.
    public static func accepted(id: EventID) -> IngressResponse {
        var body = ByteBuffer()
        body.writeStaticString(#"{"ok":true,"id":"#)
        body.writeJSONString(id.rawValue)
        body.writeStaticString("}")
        return IngressResponse(status: .accepted, body: body)
    }

    /// 202 for `/api/events`: `{"ok":true,"ids":[…]}`.
    public static func accepted(ids: [EventID]) -> IngressResponse {
        var body = ByteBuffer()
        body.reserveCapacity(24 + ids.count * 34)
        body.writeStaticString(#"{"ok":true,"ids":["#)
        for (index, id) in ids.enumerated() {
            if index > 0 { body.writeStaticString(",") }
            body.writeJSONString(id.rawValue)
        }
        body.writeStaticString("]}")
        return IngressResponse(status: .accepted, body: body)
    }
}
