import NIOCore
import NIOPosix

/// Sends raw bytes to a TCP port and returns everything the server sends back until it closes the
/// connection: enough to test pipelining, garbage and early answers exactly as a client would see them.
enum RawHTTPClient {
    static func exchange(_ request: String, port: Int, group: any EventLoopGroup) async throws -> String {
        let done = group.next().makePromise(of: ByteBuffer.self)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(done: done))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        try await channel.writeAndFlush(ByteBuffer(string: request))
        return String(buffer: try await done.futureResult.get())
    }

    private final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let done: EventLoopPromise<ByteBuffer>
        var collected = ByteBuffer()

        init(done: EventLoopPromise<ByteBuffer>) { self.done = done }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var chunk = unwrapInboundIn(data)
            collected.writeBuffer(&chunk)
        }

        func channelInactive(context: ChannelHandlerContext) { done.succeed(collected) }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            done.succeed(collected)
            context.close(promise: nil)
        }
    }
}

/// One HTTP response cut out of a raw byte stream.
struct RawHTTPResponse {
    var status: Int
    var headers: [(String, String)]
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// Every response in `stream`, in order (bodies delimited by Content-Length).
    static func all(in stream: String) -> [RawHTTPResponse] {
        var responses: [RawHTTPResponse] = []
        var rest = Substring(stream)
        while let headEnd = rest.range(of: "\r\n\r\n") {
            let lines = rest[..<headEnd.lowerBound].split(separator: "\r\n", omittingEmptySubsequences: false)
            let statusParts = lines.first?.split(separator: " ") ?? []
            guard statusParts.count >= 2, let status = Int(statusParts[1]) else { break }
            let headers = lines.dropFirst().compactMap { line -> (String, String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingPrefix(" ").description)
            }
            rest = rest[headEnd.upperBound...]
            let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
            let bodyBytes = Array(rest.utf8.prefix(length))
            rest = Substring(String(decoding: rest.utf8.dropFirst(length), as: UTF8.self))
            if status == 100 { continue }
            responses.append(
                RawHTTPResponse(status: status, headers: headers, body: String(decoding: bodyBytes, as: UTF8.self)))
        }
        return responses
    }
}
