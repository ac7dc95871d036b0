import HeraldModel
import HeraldWire
import NIOCore
import NIOPosix

/// Calls one method on a daemon's admin socket: connect, send one request, read one answer, close.
public enum AdminClient {
    public static func call(
        socketPath: String, method: String, args: [String: AdminValue] = [:], timeout: Duration = .seconds(3),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> AdminValue {
        let loop = group.next()
        let answer = loop.makePromise(of: ByteBuffer.self)
        let timeoutTask = loop.scheduleTask(in: TimeAmount(timeout)) {
            answer.fail(HeraldError(.unavailable, "no answer from \(socketPath) within \(timeout)"))
        }
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WireFrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(SingleAnswerHandler(answer: answer))
                    }
                }
                .connect(unixDomainSocketPath: socketPath)
                .get()
        } catch {
            timeoutTask.cancel()
            answer.fail(error)
            throw HeraldError(.unavailable, "cannot reach admin socket \(socketPath): \(error)")
        }
        defer { channel.close(promise: nil) }
        let request = AdminRequest(id: 1, method: method, args: args)
        try await channel.writeAndFlush(try AdminCodec.encode(request, allocator: channel.allocator))
        let payload = try await answer.futureResult.get()
        timeoutTask.cancel()
        let response = try AdminCodec.decode(AdminResponse.self, from: payload)
        if let failure = response.error { throw failure }
        return response.result ?? .null
    }
}

private final class SingleAnswerHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let answer: EventLoopPromise<ByteBuffer>

    init(answer: EventLoopPromise<ByteBuffer>) { self.answer = answer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        answer.succeed(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        answer.fail(HeraldError(.unavailable, "admin socket closed before answering"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        answer.fail(error)
        context.close(promise: nil)
    }
}
