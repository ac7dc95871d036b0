import Foundation
import NIOCore
import NIOPosix

/// A deliberately small WebSocket client for tests: it writes the upgrade request and masked frames by hand
/// and parses what comes back byte by byte, so the tests see exactly what a real client would.
final class TestWebSocketClient {
    struct HTTPAnswer {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    struct Frame {
        var opcode: UInt8
        var payload: ByteBuffer
        var text: String { String(buffer: payload) }
        var closeCode: UInt16? { payload.getInteger(at: payload.readerIndex, as: UInt16.self) }
    }

    struct ConnectionEnded: Error {}

    /// Every test connection is closed after this long, so a missing frame fails the test instead of hanging it.
    static let watchdog: TimeAmount = .seconds(10)

    let channel: any Channel
    private var inbound: AsyncStream<ByteBuffer>.Iterator
    private var buffer = ByteBuffer()

    private init(channel: any Channel, inbound: AsyncStream<ByteBuffer>) {
        self.channel = channel
        self.inbound = inbound.makeAsyncIterator()
    }

    /// Connects to the edge; `receiveBuffer` shrinks the socket's receive buffer (for slow-consumer tests).
    static func connect(
        port: Int, group: any EventLoopGroup, receiveBuffer: Int? = nil
    ) async throws -> TestWebSocketClient {
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        var bootstrap = ClientBootstrap(group: group)
        if let receiveBuffer {
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBuffer))
        }
        let channel =
            try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(continuation: continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        channel.eventLoop.scheduleTask(in: watchdog) { channel.close(promise: nil) }
        return TestWebSocketClient(channel: channel, inbound: stream)
    }

    /// Sends `GET path` with the WebSocket upgrade headers and reads the answer (101, or an error with a body).
    func upgrade(_ path: String, headers: [(String, String)] = []) async throws -> HTTPAnswer {
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        try await send(raw: request + "\r\n")
        return try await readHTTPAnswer()
    }

    func send(raw: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: raw)).get()
    }

    func sendText(_ text: String) async throws {
        try await sendFrame(opcode: 0x1, payload: Array(text.utf8))
    }

    func sendClose(code: UInt16) async throws {
        try await sendFrame(opcode: 0x8, payload: [UInt8(code >> 8), UInt8(code & 0xFF)])
    }

    /// One final, masked frame (clients must mask, RFC 6455 §5.3).
    func sendFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true) async throws {
        var frame = ByteBuffer()
        frame.writeInteger((fin ? 0x80 : 0) | opcode)
        if payload.count < 126 {
            frame.writeInteger(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame.writeInteger(UInt8(0x80 | 126))
            frame.writeInteger(UInt16(payload.count))
        } else {
            frame.writeInteger(UInt8(0x80 | 127))
            frame.writeInteger(UInt64(payload.count))
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        frame.writeBytes(mask)
        frame.writeBytes(payload.enumerated().map { $0.element ^ mask[$0.offset % 4] })
        try await channel.writeAndFlush(frame).get()
    }

    /// The next frame from the server, which must be unmasked.
    func readFrame() async throws -> Frame {
        while true {
            if let frame = try parseFrame() { return frame }
            try await fill()
        }
    }

    /// The next text frame's payload.
    func readText() async throws -> String {
        let frame = try await readFrame()
        guard frame.opcode == 0x1 else { throw UnexpectedFrame(opcode: frame.opcode, text: frame.text) }
        return frame.text
    }

    struct UnexpectedFrame: Error {
        var opcode: UInt8
        var text: String
    }

    /// Waits until the server closes the TCP connection.
    func readEnd() async throws {
        while inboundOpen { try? await fill() }
    }

    /// Leaves whatever arrives in the kernel, like a client that stopped reading.
    func stopReading() async throws {
        try await channel.setOption(.autoRead, value: false).get()
    }

    func startReading() async throws {
        try await channel.setOption(.autoRead, value: true).get()
        channel.read()
    }

    func close() async {
        try? await channel.close()
    }

    // MARK: Parsing

    private var inboundOpen = true

    private func fill() async throws {
        guard var chunk = await inbound.next() else {
            inboundOpen = false
            throw ConnectionEnded()
        }
        buffer.writeBuffer(&chunk)
    }

    func readHTTPAnswer() async throws -> HTTPAnswer {
        var headEnd: Int?
        while headEnd == nil {
            let text = String(buffer: buffer)
            if let range = text.range(of: "\r\n\r\n") {
                headEnd = text.utf8.distance(from: text.startIndex, to: range.upperBound)
            } else {
                try await fill()
            }
        }
        let head = buffer.readString(length: headEnd!)!
        var lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let status = Int(lines.removeFirst().split(separator: " ")[1])!
        var headers: [String: String] = [:]
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.readableBytes < length { try await fill() }
        return HTTPAnswer(status: status, headers: headers, body: buffer.readString(length: length)!)
    }

    private func parseFrame() throws -> Frame? {
        guard buffer.readableBytes >= 2 else { return nil }
        let start = buffer.readerIndex
        let first = buffer.getInteger(at: start, as: UInt8.self)!
        let second = buffer.getInteger(at: start + 1, as: UInt8.self)!
        precondition(second & 0x80 == 0, "servers must not mask frames")
        var headerLength = 2
        var length = Int(second & 0x7F)
        if length == 126 {
            guard buffer.readableBytes >= 4 else { return nil }
            length = Int(buffer.getInteger(at: start + 2, as: UInt16.self)!)
            headerLength = 4
        } else if length == 127 {
            guard buffer.readableBytes >= 10 else { return nil }
            length = Int(buffer.getInteger(at: start + 2, as: UInt64.self)!)
            headerLength = 10
        }
        guard buffer.readableBytes >= headerLength + length else { return nil }
        buffer.moveReaderIndex(forwardBy: headerLength)
        let payload = buffer.readSlice(length: length)!
        return Frame(opcode: first & 0x0F, payload: payload)
    }
}

private final class Collector: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let continuation: AsyncStream<ByteBuffer>.Continuation

    init(continuation: AsyncStream<ByteBuffer>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
    }
}
