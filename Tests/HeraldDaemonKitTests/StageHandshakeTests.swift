import Foundation
import HeraldModel
import HeraldSystemd
import HeraldWire
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import HeraldDaemonKit

/// The accepting side of a stage connection answers `hello` and refuses peers it cannot talk to; a receiver's
/// `refused` frame ends an event at the sender.
@Suite(.serialized) struct StageHandshakeTests {
    let group = MultiThreadedEventLoopGroup.singleton
    let logger = Logger(label: "test")

    func socketPath() throws -> String {
        let path = NSTemporaryDirectory() + "herald-hs-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path + "/input.sock"
    }

    func frame(_ message: WireMessage) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeWireFrame(message)
        return Array(buffer.readableBytesView)
    }

    func messages(in bytes: [UInt8]) throws -> [WireMessage] {
        var buffer = ByteBuffer(bytes: bytes)
        var messages: [WireMessage] = []
        while let length = buffer.readInteger(as: UInt32.self), let payload = buffer.readSlice(length: Int(length)) {
            messages.append(try WireMessage.decode(frame: payload))
        }
        return messages
    }

    @Test func helloIsAnsweredWithTheServersHello() async throws {
        let path = try socketPath()
        let server = try await StageInputServer.start(
            boundSocket: try SocketBinder.bindUnix(path: path), hello: Hello(stage: "authorizer", instance: "a-1"),
            loop: group.next(), delegate: RecordingStage(settleAtOnce: true), logger: logger)
        let answer = try Self.exchange(
            path: path, bytes: frame(.hello(Hello(stage: "ingress", instance: "i-1"))), closeAfterWriting: false)
        #expect(try messages(in: answer) == [.hello(Hello(stage: "authorizer", instance: "a-1"))])
        await server.close()
    }

    @Test(arguments: [
        (Hello(stage: "ingress", instance: "old", version: 1), "hello.version"),
        (Hello(stage: "gateway", instance: "x"), "hello.stage"),
    ])
    func unfitHelloGetsAnErrorAndTheConnectionCloses(hello: Hello, field: String) async throws {
        let path = try socketPath()
        let server = try await StageInputServer.start(
            boundSocket: try SocketBinder.bindUnix(path: path), hello: Hello(stage: "authorizer", instance: "a-1"),
            loop: group.next(), delegate: RecordingStage(settleAtOnce: true), logger: logger)
        let answer = try messages(in: try UpstreamLinkTests.exchange(path: path, bytes: frame(.hello(hello))))
        guard case .error(let failure) = try #require(answer.first) else {
            Issue.record("expected an error frame, got \(answer)")
            return
        }
        #expect(failure.code == "INVALID_PAYLOAD")
        #expect(failure.message.hasPrefix(field))
        await server.close()
    }

    @Test func refusedEventFailsItsSenderAndIsNotKept() async throws {
        let path = try socketPath()
        let server = try await StageInputServer.start(
            boundSocket: try SocketBinder.bindUnix(path: path), hello: Hello(stage: "authorizer", instance: "a-1"),
            loop: group.next(), delegate: RefusingStage(), logger: logger)
        let refusedIDs = Mutex<[EventID]>([])
        var callbacks = UpstreamLink.Callbacks()
        callbacks.refused = { refusal in refusedIDs.withLock { $0.append(refusal.id) } }
        let link = UpstreamLink(
            configuration: .init(peer: "authorizer", socketPath: path, hello: Hello(stage: "ingress", instance: "t")),
            loop: group.next(), callbacks: callbacks, logger: logger)
        link.start()
        let event = WireEvent(
            id: EventID(uncheckedRawValue: "evt_r"), name: "test.event", channels: ["thread.1"],
            timestamp: "2025-07-17T10:30:00Z", priority: .high, data: ByteBuffer(string: "{}"))
        let error = try await #require(throws: HeraldError.self) { try await link.send(event).get() }
        #expect(error.code == .rateLimitExceeded)
        #expect(error.retryAfter == 9)
        #expect(error.message == "slow down")
        #expect(await link.snapshot().unsettled == 0)
        #expect(refusedIDs.withLock { $0 } == [event.id])
        await link.stop()
        await server.close()
    }

    @Test func stateForgetsARefusedEvent() {
        var state = UpstreamLinkState(capacity: 2)
        let id = EventID(uncheckedRawValue: "evt_1")
        _ = state.connected()
        #expect(state.enqueue(id, event: ByteBuffer()) == .write)
        let first = state.refused(id)
        let second = state.refused(id)
        #expect(first)
        #expect(!second)
        #expect(state.unsettledCount == 0)
        #expect(state.connected().isEmpty, "a refused event is not resent")
    }

    /// Writes bytes to a Unix socket, optionally half-closes it, and reads until it closes or 300 ms pass quietly.
    static func exchange(path: String, bytes: [UInt8], closeAfterWriting: Bool) throws -> [UInt8] {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 0, tv_usec: 300_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(connected == 0)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if closeAfterWriting { shutdown(fd, Int32(SHUT_WR)) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            result += buffer[0..<count]
        }
        return result
    }
}

/// Refuses every event as over a rate limit.
final class RefusingStage: StageInputDelegate, Sendable {
    func peerJoined(_ peer: StagePeer) {}
    func peerLeft(_ peer: StagePeer) {}
    func peer(_ peer: StagePeer, sent message: WireMessage) {
        guard case .event(let event) = message else { return }
        peer.send(.refused(EventRefusal(id: event.id, .rateLimitExceeded, "slow down", retryAfter: 9)))
    }
}
