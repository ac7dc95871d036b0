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

/// Under load stages exchange batches: the events an upstream link is handed in one event-loop tick leave in one
/// `events` frame, and a receiving stage answers the events of one tick with one `ack` and one `settled` frame.
@Suite(.serialized) struct StageBatchingTests {
    let group = MultiThreadedEventLoopGroup.singleton
    let logger = Logger(label: "test")

    func socketPath() throws -> String {
        let path = NSTemporaryDirectory() + "herald-batch-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path + "/input.sock"
    }

    func event(_ n: Int) -> WireEvent {
        WireEvent(
            id: EventID(uncheckedRawValue: "evt_\(n)"), name: "test.event", channels: ["thread.1"],
            timestamp: "2025-07-17T10:30:00Z", priority: .high, data: ByteBuffer(string: #"{"n":\#(n)}"#))
    }

    func encoded(_ event: WireEvent) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeWireEvent(event)
        return buffer
    }

    func ids(_ numbers: ClosedRange<Int>) -> [EventID] { numbers.map { EventID(uncheckedRawValue: "evt_\($0)") } }

    /// A link to a `FrameRecordingStage`, connected: event 1 has been sent and acknowledged.
    func connectedLink() async throws -> (any EventLoop, FrameRecordingStage, UpstreamLink) {
        let path = try socketPath()
        let loop = group.next()
        let peer = try await FrameRecordingStage.start(path: path, loop: loop)
        let link = UpstreamLink(
            configuration: .init(peer: "next", socketPath: path, hello: Hello(stage: "ingress", instance: "t")),
            loop: loop, callbacks: .init(), logger: logger)
        link.start()
        try await link.send(event(1)).get()
        return (loop, peer, link)
    }

    @Test func eventsOfOneTickLeaveInOneFrameAndALoneEventInItsOwn() async throws {
        let (loop, peer, link) = try await connectedLink()

        let handedOver = try await loop.submit {
            (2...6).map { link.offer(encodedEvent: self.encoded(self.event($0)), id: self.event($0).id) }
        }.get()
        #expect(handedOver == Array(repeating: true, count: 5))
        try await peer.waitForFrames(2)
        #expect(peer.frames == [.event(event(1)), .events((2...6).map(event))])
        await link.stop()
        try await peer.close()
    }

    @Test func aRequestNeverOvertakesEventsHandedOverBeforeIt() async throws {
        let (loop, peer, link) = try await connectedLink()

        let answered = try await loop.flatSubmit {
            _ = link.offer(encodedEvent: self.encoded(self.event(2)), id: self.event(2).id)
            return link.request(method: "ping", params: ByteBuffer(string: "{}"))
        }.get()
        #expect(String(buffer: answered) == "{}")
        let types = peer.frames.map(\.type)
        #expect(types == ["event", "event", "request"])
        await link.stop()
        try await peer.close()
    }

    @Test func aPackedFrameIsAcknowledgedAndSettledWithOneFrameEach() async throws {
        let path = try socketPath()
        let stage = RecordingStage(settleAtOnce: true)
        let server = try await StageInputServer.start(
            boundSocket: try SocketBinder.bindUnix(path: path), hello: Hello(stage: "authorizer", instance: "a-1"),
            loop: group.next(), delegate: stage, logger: logger)
        var bytes = ByteBuffer()
        bytes.writeWireFrame(.hello(Hello(stage: "ingress", instance: "i-1")))
        bytes.writeWireFrame(.events((1...3).map(event)))
        let answer = try StageHandshakeTests.exchange(
            path: path, bytes: Array(bytes.readableBytesView), closeAfterWriting: false)
        var frames = ByteBuffer(bytes: answer)
        var messages: [WireMessage] = []
        while let length = frames.readInteger(as: UInt32.self), let payload = frames.readSlice(length: Int(length)) {
            messages.append(try WireMessage.decode(frame: payload))
        }
        #expect(
            messages == [.hello(Hello(stage: "authorizer", instance: "a-1")), .ack(ids(1...3)), .settled(ids(1...3))])
        #expect(stage.events == ids(1...3))
        await server.close()
    }

    @Test func aPeerWritesWaitingAcknowledgementsBeforeAnythingElse() async throws {
        var pending = PendingAcknowledgements()
        #expect(pending.isEmpty)
        let absorbed = [
            pending.absorb(.ack(ids(1...1))), pending.absorb(.settled(ids(1...1))), pending.absorb(.ack(ids(2...3))),
            pending.absorb(.hello(Hello(stage: "ingress", instance: "i"))),
        ]
        #expect(absorbed == [true, true, true, false])
        let first = pending.take()
        #expect(first == [.ack(ids(1...3)), .settled(ids(1...1))])
        #expect(pending.isEmpty)
        let none = pending.take()
        #expect(none == [])
        _ = pending.absorb(.settled(ids(4...4)))
        let settledOnly = pending.take()
        #expect(settledOnly == [.settled(ids(4...4))])
    }
}

/// A next stage that records every message it reads as the frame it came in (no unpacking), acknowledges and
/// settles events, and answers every request with `{}`.
final class FrameRecordingStage: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = WireMessage
    typealias OutboundOut = ByteBuffer

    private let recorded = Mutex<[WireMessage]>([])
    private var channel: (any Channel)?

    var frames: [WireMessage] { recorded.withLock { $0 } }

    static func start(path: String, loop: any EventLoop) async throws -> FrameRecordingStage {
        let stage = FrameRecordingStage()
        stage.channel = try await ServerBootstrap(group: loop)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WireMessageDecoder()))
                    try channel.pipeline.syncOperations.addHandler(stage)
                }
            }
            .bind(unixDomainSocketPath: path).get()
        return stage
    }

    /// Waits (bounded) until at least `count` frames other than `hello` arrived.
    func waitForFrames(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while frames.count < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    }

    func close() async throws { try await channel?.close() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        var answer = context.channel.allocator.buffer(capacity: 128)
        switch message {
        case .hello:
            answer.writeWireFrame(.hello(Hello(stage: "authorizer", instance: "recorder")))
            context.writeAndFlush(wrapOutboundOut(answer), promise: nil)
            return
        case .event(let event):
            answer.writeWireFrame(.ack([event.id]))
            answer.writeWireFrame(.settled([event.id]))
        case .events(let events):
            answer.writeWireFrame(.ack(events.map(\.id)))
            answer.writeWireFrame(.settled(events.map(\.id)))
        case .request(let request):
            answer.writeWireFrame(.response(Response(id: request.id, outcome: .success(ByteBuffer(string: "{}")))))
        default:
            break
        }
        recorded.withLock { $0.append(message) }
        context.writeAndFlush(wrapOutboundOut(answer), promise: nil)
    }
}
