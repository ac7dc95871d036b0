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

/// A receiving stage for tests: records events, acknowledges them, and settles them when told to.
final class RecordingStage: StageInputDelegate, @unchecked Sendable {
    let settleAtOnce: Bool
    private let received = Mutex<[EventID]>([])
    private let errors = Mutex<Int>(0)

    init(settleAtOnce: Bool) { self.settleAtOnce = settleAtOnce }

    var events: [EventID] { received.withLock { $0 } }

    func peerJoined(_ peer: StagePeer) {}
    func peerLeft(_ peer: StagePeer) {}
    func peer(_ peer: StagePeer, sent message: WireMessage) {
        guard case .event(let event) = message else { return }
        received.withLock { $0.append(event.id) }
        peer.send(.ack([event.id]))
        if settleAtOnce { peer.send(.settled([event.id])) }
    }
}

@Suite(.serialized) struct UpstreamLinkTests {
    let group = MultiThreadedEventLoopGroup.singleton
    let logger = Logger(label: "test")

    func event(_ n: Int) -> WireEvent {
        WireEvent(
            id: EventID(uncheckedRawValue: "evt_\(n)"), name: "test.event", channels: ["thread.1"],
            timestamp: "2025-07-17T10:30:00Z", priority: .high, data: ByteBuffer(string: #"{"n":\#(n)}"#))
    }

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "herald-link-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func deliversAcknowledgesAndSettles() async throws {
        let directory = try temporaryDirectory()
        let path = directory + "/next.sock"
        let loop = group.next()
        let stage = RecordingStage(settleAtOnce: true)
        let server = try await StageInputServer.start(
            boundSocket: try SocketBinder.bindUnix(path: path), hello: Hello(stage: "batcher", instance: "b"),
            loop: loop, delegate: stage, logger: logger)
        let settled = Mutex<[EventID]>([])
        var callbacks = UpstreamLink.Callbacks()
        callbacks.settled = { ids in settled.withLock { $0 += ids } }
        let link = UpstreamLink(
            configuration: .init(peer: "next", socketPath: path, hello: Hello(stage: "ingress", instance: "t")),
            loop: loop, callbacks: callbacks, logger: logger)
        link.start()

        for n in 1...3 { try await link.send(event(n)).get() }
        #expect(stage.events.map(\.rawValue) == ["evt_1", "evt_2", "evt_3"])
        let snapshot = await link.snapshot()
        #expect(snapshot.unsettled == 0)
        #expect(settled.withLock { $0 }.count == 3)
        await link.stop()
        await server.close()
    }

    @Test func resendsUnsettledEventsToARestartedReceiver() async throws {
        let directory = try temporaryDirectory()
        let path = directory + "/next.sock"
        let loop = group.next()
        let first = RecordingStage(settleAtOnce: false)
        let firstServer = try await StageInputServer.start(
            boundSocket: try SocketBinder.bindUnix(path: path), hello: Hello(stage: "batcher", instance: "b"),
            loop: loop, delegate: first, logger: logger)
        let link = UpstreamLink(
            configuration: .init(peer: "next", socketPath: path, hello: Hello(stage: "ingress", instance: "t")),
            loop: loop, callbacks: .init(), logger: logger)
        link.start()
        for n in 1...2 { try await link.send(event(n)).get() }
        #expect(await link.snapshot().unsettled == 2, "acknowledged, not settled: the link keeps them")

        // The receiver dies; a new one takes over the same socket path.
        await firstServer.close()
        let second = RecordingStage(settleAtOnce: true)
        let secondServer = try await StageInputServer.start(
            boundSocket: try SocketBinder.bindUnix(path: path), hello: Hello(stage: "batcher", instance: "b"),
            loop: loop, delegate: second, logger: logger)
        try await link.send(event(3)).get()
        let deadline = ContinuousClock.now + .seconds(10)
        while await link.snapshot().unsettled > 0, ContinuousClock.now < deadline {
            try await loop.scheduleTask(in: .milliseconds(10)) {}.futureResult.get()
        }
        #expect(second.events.map(\.rawValue) == ["evt_1", "evt_2", "evt_3"])
        #expect(await link.snapshot().unsettled == 0)
        await link.stop()
        await secondServer.close()
    }

    @Test func aFullBufferRefusesAtOnce() async throws {
        let loop = group.next()
        let link = UpstreamLink(
            configuration: .init(
                peer: "nobody", socketPath: "/nonexistent/herald.sock", hello: Hello(stage: "ingress", instance: "t"),
                capacity: 1),
            loop: loop, callbacks: .init(), logger: logger)
        link.start()
        let pending = link.send(event(1))
        await #expect(throws: HeraldError.self) { try await link.send(event(2)).get() }
        #expect(try await link.withdraw(event(1).id).get())
        await #expect(throws: HeraldError.self) { try await pending.get() }
        await link.stop()
    }

    @Test func malformedFramesAreAnsweredWithAnErrorAndTheConnectionClosed() async throws {
        let directory = try temporaryDirectory()
        let path = directory + "/next.sock"
        let stage = RecordingStage(settleAtOnce: true)
        let server = try await StageInputServer.start(
            boundSocket: try SocketBinder.bindUnix(path: path), hello: Hello(stage: "batcher", instance: "b"),
            loop: group.next(), delegate: stage, logger: logger)
        for garbage in [
            Array("\u{0}\u{0}\u{0}\u{5}hello".utf8), [0xFF, 0xFF, 0xFF, 0xFF], Array("\u{0}\u{0}\u{0}\u{2}{}".utf8),
        ] {
            let answer = try Self.exchange(path: path, bytes: garbage)
            #expect(answer.count > 4)
            let json = String(decoding: answer.dropFirst(4), as: UTF8.self)
            #expect(json.contains(#""type":"error""#), "got \(json)")
        }
        await server.close()
    }

    /// Writes bytes to a Unix socket and reads until the peer closes.
    static func exchange(path: String, bytes: [UInt8]) throws -> [UInt8] {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
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
