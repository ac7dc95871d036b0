import HeraldModel
import HeraldWire
import Logging
import NIOCore
import NIOPosix

/// Serves `{id, method, args}` requests on a daemon's admin socket (a listening AF_UNIX fd handed over by
/// systemd or `herald run`). A malformed request is answered with an `INVALID_PAYLOAD` error and the
/// connection is closed; the daemon keeps serving.
public final class AdminServer: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) { self.channel = channel }

    public static func start(
        boundSocket fd: CInt, group: any EventLoopGroup, router: AdminRouter, logger: Logger
    ) async throws -> AdminServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WireFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(
                        AdminConnectionHandler(router: router, logger: logger))
                }
            }
            .withBoundSocket(fd)
            .get()
        return AdminServer(channel: channel)
    }

    public func close() async {
        try? await channel.close()
    }
}

final class AdminConnectionHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let router: AdminRouter
    let logger: Logger

    init(router: AdminRouter, logger: Logger) {
        self.router = router
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let payload = unwrapInboundIn(data)
        let channel = context.channel
        let request: AdminRequest
        do {
            request = try AdminCodec.decode(AdminRequest.self, from: payload)
        } catch {
            reject(channel: channel, message: "admin request is not {id, method, args} JSON: \(error)")
            return
        }
        let router = self.router
        Task {
            let response = await router.respond(to: request)
            if let frame = try? AdminCodec.encode(response, allocator: channel.allocator) {
                channel.writeAndFlush(frame, promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        reject(channel: context.channel, message: "\(error)")
    }

    private func reject(channel: any Channel, message: String) {
        logger.warning("malformed admin request", metadata: ["herald.error": "\(message)"])
        let response = AdminResponse(id: 0, error: .init(code: .invalidPayload, message: message))
        guard let frame = try? AdminCodec.encode(response, allocator: channel.allocator) else {
            channel.close(promise: nil)
            return
        }
        channel.writeAndFlush(frame).whenComplete { _ in channel.close(promise: nil) }
    }
}
