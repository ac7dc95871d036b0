import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Reads a webhook answer's status and discards its body, however large.
final class WebhookAnswer: HTTPClientResponseDelegate {
    typealias Response = UInt
    private let status = NIOLockedValueBox<UInt>(0)

    func didReceiveHead(task: HTTPClient.Task<UInt>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        status.withLockedValue { $0 = head.status.code }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<UInt>) throws -> UInt {
        status.withLockedValue { $0 }
    }
}
