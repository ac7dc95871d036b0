import Foundation
import HeraldDaemonKit
import HeraldSystemd
import HeraldWire
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import HeraldBatcher

/// The outbox over a real stage connection whose reader is slow: a blocking client socket that reads nothing
/// until the test says so.
@Suite(.serialized) struct EdgeOutboxTests {
    static let frameSize = 16 * 1024
    let loop = MultiThreadedEventLoopGroup.singleton.next()
    let logger = Logger(label: "test")

    /// A length-prefixed frame carrying `index`, `frameSize` bytes in all.
    static func frame(_ index: Int) -> ByteBuffer {
        var frame = ByteBuffer()
        frame.writeInteger(UInt32(frameSize - 4))
        frame.writeInteger(UInt32(index))
        frame.writeRepeatingByte(UInt8(ascii: "x"), count: frameSize - 8)
        return frame
    }

    /// Starts a stage input server, connects a client that says hello as an edge, and returns both with the
    /// server's side of the connection.
    func connect() async throws -> (StageInputServer, SlowClient, StagePeer) {
        let directory = NSTemporaryDirectory() + "herald-outbox-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/input.sock"
        let joined = loop.makePromise(of: StagePeer.self)
        let server = try await StageInputServer.start(
            boundSocket: try SocketBinder.bindUnix(path: path), hello: Hello(stage: "batcher", instance: "b-1"),
            loop: loop, delegate: JoinRecorder(joined: joined), logger: logger)
        let client = try SlowClient(path: path)
        var hello = ByteBuffer()
        hello.writeWireFrame(.hello(Hello(stage: "ws-edge", instance: "e-1")))
        client.write(Array(hello.readableBytesView))
        return (server, client, try await joined.futureResult.get())
    }

    /// Writes `count` frames through a fresh outbox on the peer's loop; returns the frames it held right after
    /// and each write's future.
    func writeThroughOutbox(
        _ peer: StagePeer, count: Int, limitBytes: Int
    ) async throws -> (held: Int, closed: Bool, writes: [EventLoopFuture<Void>]) {
        let logger = logger
        return try await peer.eventLoop.submit {
            let outbox = EdgeOutbox(peer: peer, limitBytes: limitBytes, logger: logger)
            var writes: [EventLoopFuture<Void>] = []
            for index in 0..<count {
                let promise = peer.eventLoop.makePromise(of: Void.self)
                outbox.write(frames: Self.frame(index), promise: promise)
                writes.append(promise.futureResult)
            }
            return (outbox.heldFrames, outbox.isClosed, writes)
        }.get()
    }

    @Test func framesHeldForASlowReaderArriveInOrder() async throws {
        let (server, client, peer) = try await connect()
        let count = 200
        let (held, closed, writes) = try await writeThroughOutbox(peer, count: count, limitBytes: 64 << 20)
        #expect(held > 0)
        #expect(!closed)
        var helloFrame = ByteBuffer()
        helloFrame.writeWireFrame(.hello(Hello(stage: "batcher", instance: "b-1")))
        var bytes = ByteBuffer(bytes: client.read(atLeast: helloFrame.readableBytes + count * Self.frameSize))
        #expect(bytes.readSlice(length: helloFrame.readableBytes) == helloFrame)
        var indices: [Int] = []
        while let length = bytes.readInteger(as: UInt32.self), var body = bytes.readSlice(length: Int(length)) {
            indices.append(Int(body.readInteger(as: UInt32.self) ?? 0))
        }
        #expect(indices == Array(0..<count))
        for write in writes { try await write.get() }
        await server.close()
    }

    @Test func anEdgeTooFarBehindIsClosedAndItsWritesFail() async throws {
        let (server, client, peer) = try await connect()
        let (_, closed, writes) = try await writeThroughOutbox(peer, count: 100, limitBytes: 256 * 1024)
        #expect(closed)
        var failures = 0
        for write in writes {
            do { try await write.get() } catch { failures += 1 }
        }
        #expect(failures > 0)
        try await peer.closeFuture.get()
        _ = client.read(atLeast: .max)  // returns at end of stream: the batcher closed the connection
        await server.close()
    }
}

/// Hands the test the first peer that joins.
final class JoinRecorder: StageInputDelegate, Sendable {
    let joined: EventLoopPromise<StagePeer>
    init(joined: EventLoopPromise<StagePeer>) { self.joined = joined }
    func peerJoined(_ peer: StagePeer) { joined.succeed(peer) }
    func peer(_ peer: StagePeer, sent message: WireMessage) {}
    func peerLeft(_ peer: StagePeer) {}
}

/// A blocking AF_UNIX client that reads only when asked, so the server's writes back up.
final class SlowClient: Sendable {
    let fd: Int32

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
    }

    /// Reads until `count` bytes arrived, the stream ended or ten seconds passed without data.
    func read(atLeast count: Int) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while result.count < count {
            let got = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            result += buffer[0..<got]
        }
        return result
    }
}
