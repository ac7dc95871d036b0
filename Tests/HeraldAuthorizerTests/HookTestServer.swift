import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP backend on 127.0.0.1, port 0, answering hook questions by channel name and counting them:
/// `…allow…` 200 allow, `…deny…` 200 allow false, `…missing…` 404, `…error…` 500, `…slow…` after 3 s, `…wait…` allow
/// after 300 ms, `…garbage…` a body that is not JSON. A call (`apps[].rpc`) is answered by its `event` the same way.
/// It records every body and its Authorization and X-Herald-Signature headers.
final class HookTestServer: Sendable {
    struct Seen: Sendable {
        let authorization: String?
        let body: [String: String]
        var signature: String? = nil
        var raw = ""
    }

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let log: NIOLockedValueBox<[Seen]>

    var port: Int { channel.localAddress!.port! }
    var url: String { "http://127.0.0.1:\(port)/herald/authorize" }
    var seen: [Seen] { log.withLockedValue { $0 } }
    var requests: Int { seen.count }

    init() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = NIOLockedValueBox<[Seen]>([])
        self.group = group
        self.log = log
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func stop() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let log: NIOLockedValueBox<[Seen]>
        var head: HTTPRequestHead?
        var body = ByteBuffer()

        init(log: NIOLockedValueBox<[Seen]>) { self.log = log }

        /// Status, body and delay in milliseconds for a question about `channel`.
        static func answer(to channel: String) -> (HTTPResponseStatus, String, Int64) {
            if channel.contains("missing") { return (.notFound, "{}", 0) }
            if channel.contains("error") { return (.internalServerError, "{}", 0) }
            if channel.contains("garbage") { return (.ok, "allow", 0) }
            if channel.contains("deny") { return (.ok, #"{"allow": false}"#, 0) }
            if channel.contains("slow") { return (.ok, #"{"allow": true}"#, 3000) }
            if channel.contains("wait") { return (.ok, #"{"allow": true, "info": {"name": "W"}}"#, 300) }
            return (.ok, #"{"allow": true, "info": {"name": "A"}}"#, 0)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body.clear()
            case .body(var part):
                body.writeBuffer(&part)
            case .end:
                let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]
                var fields: [String: String] = [:]
                for (key, value) in object ?? [:] { fields[key] = "\(value)" }
                log.withLockedValue {
                    $0.append(
                        Seen(
                            authorization: head?.headers.first(name: "Authorization"), body: fields,
                            signature: head?.headers.first(name: "X-Herald-Signature"), raw: String(buffer: body)))
                }
                let channel = fields["channel"] ?? fields["event"] ?? ""
                let (status, text, delay) = Self.answer(to: channel)
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: .milliseconds(delay)) {
                    let context = loopBound.value
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: "application/json")
                    headers.add(name: "Content-Length", value: "\(text.utf8.count)")
                    context.write(
                        NIOAny(
                            HTTPServerResponsePart.head(
                                HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                        promise: nil)
                    context.write(
                        NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                    context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
                }
            }
        }
    }
}
