import AsyncHTTPClient
import HeraldAppSigning
import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOCore
import NIOHTTP1

/// A client's call to an app's backend (`apps[].rpc`): POSTs
/// `{"event","data","room","user":{"id","roles","name"},"socket_id"}` to `rpc.url` with
/// `X-Herald-Signature: <hex HMAC-SHA256 of the body with the app secret>`, and answers with the backend's
/// `200` JSON body as it came. No answer within `rpc.timeout_ms`, or no connection, is UNAVAILABLE; another
/// status, or a body that is not JSON, is INTERNAL.
struct RPCHook: Sendable {
    /// Answers larger than this are not read.
    static let maxAnswerBytes = 256 * 1024

    let client: HTTPClient
    let logger: Logger

    init(client: HTTPClient = .shared, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The answer to `call` from `app`'s backend, or the error the client is acknowledged with.
    func answer(_ call: StageRequests.ClientRPC, app: AppConfig) async -> Result<ByteBuffer, HeraldError> {
        guard let url = app.rpc.url else {
            return .failure(HeraldError(.internal, "app \(app.id) has no rpc.url for \(call.event)"))
        }
        let timeout = Duration.milliseconds(app.rpc.timeoutMilliseconds)
        let timedOut = HeraldError(
            .unavailable, "the backend did not answer \(call.event) within \(app.rpc.timeoutMilliseconds) ms; retry")
        let result: Result<ByteBuffer, HeraldError>
        do {
            result = try await withThrowingTaskGroup(of: Result<ByteBuffer, HeraldError>?.self) { group in
                group.addTask { try await post(call, to: url, secret: app.secret, timeout: timeout) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first ?? .failure(timedOut)
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            result = .failure(timedOut)
        } catch {
            result = .failure(
                HeraldError(.unavailable, "the backend for \(call.event) could not be reached; retry shortly"))
        }
        if case .failure(let error) = result {
            logger.info(
                "a client call got no answer",
                metadata: [
                    "herald.event": "\(call.event)", "herald.room": "\(call.room)", "herald.app": "\(app.id)",
                    "herald.error": "\(error.message)",
                ])
        }
        return result
    }

    private func post(_ call: StageRequests.ClientRPC, to url: String, secret: String, timeout: Duration)
        async throws -> Result<ByteBuffer, HeraldError>
    {
        let body = Self.body(call)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(
            name: "X-Herald-Signature", value: HexHMAC.sha256(bytes: body.readableBytesView, secret: secret))
        request.body = .bytes(body)
        let response = try await client.execute(request, timeout: TimeAmount(timeout))
        guard response.status == .ok else {
            return .failure(
                HeraldError(.internal, "the backend answered \(call.event) with HTTP \(response.status.code)"))
        }
        let answer = try await response.body.collect(upTo: Self.maxAnswerBytes)
        guard (try? JSONScanner.value(answer)) != nil else {
            return .failure(HeraldError(.internal, "the backend's answer to \(call.event) is not JSON"))
        }
        return .success(answer)
    }

    /// `{"event","data","room","user":{"id","roles","name"},"socket_id"}`: what the backend receives and the
    /// signature signs.
    static func body(_ call: StageRequests.ClientRPC) -> ByteBuffer {
        var body = ByteBufferAllocator().buffer(capacity: 256 + call.data.readableBytes)
        body.writeStaticString(#"{"event":"#)
        body.writeJSONString(call.event)
        body.writeStaticString(#","data":"#)
        if call.data.readableBytes > 0 { body.writeJSONRaw(call.data) } else { body.writeStaticString("null") }
        body.writeStaticString(#","room":"#)
        body.writeJSONString(call.room)
        body.writeStaticString(#","user":{"id":"#)
        body.writeJSONString(call.principal.userID)
        body.writeStaticString(#","roles":"#)
        body.writeJSONArray(call.principal.roles) { $0.writeJSONString($1) }
        body.writeStaticString(#","name":"#)
        if let name = call.principal.name { body.writeJSONString(name) } else { body.writeStaticString("null") }
        body.writeStaticString(#"},"socket_id":"#)
        body.writeJSONString(call.socketID)
        body.writeInteger(UInt8(ascii: "}"))
        return body
    }
}
