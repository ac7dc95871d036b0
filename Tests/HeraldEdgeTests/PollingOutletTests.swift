import NIOCore
import NIOEmbedded
import Testing

@testable import HeraldEdge

/// A long-polling session's queue: GETs take everything at once, or wait for the next flush.
@Suite struct PollingOutletTests {
    /// Joins messages with `|`, answers probes, no-ops with `6`, closes with `1`.
    struct Style: LongPollingStyle {
        func sessionID(of request: ConnectionRequest) -> String? { request.queryValue(named: "sid") }
        func refusal(of request: ConnectionRequest) -> UpgradeRefusal? { nil }
        func messages(in body: ByteBuffer, limit: Int) throws -> [ByteBuffer] { [body] }
        func body(joining messages: [ByteBuffer]) -> ByteBuffer {
            ByteBuffer(string: messages.map { String(buffer: $0) }.joined(separator: "|"))
        }
        var noop: ByteBuffer { ByteBuffer(string: "6") }
        var close: ByteBuffer { ByteBuffer(string: "1") }
        func probeAnswer(to message: ByteBuffer) -> ByteBuffer? { nil }
        func completesUpgrade(_ message: ByteBuffer) -> Bool { false }
        var unknownSession: ByteBuffer { ByteBuffer() }
    }

    let loop = EmbeddedEventLoop()

    private func frame(_ text: String) -> ByteBuffer {
        ServerFrame.text(allocator: ByteBufferAllocator()) { $0.writeString(text) }
    }

    @Test func aGetTakesEverythingQueuedAtOnce() throws {
        let outlet = PollingOutlet(style: Style(), maxPendingBytes: 1 << 20)
        outlet.write(frame("a"))
        outlet.write(frame(String(repeating: "b", count: 300)))
        outlet.write(frame(String(repeating: "c", count: 70_000)))
        outlet.flush()
        let body = try #require(outlet.poll(on: loop)).wait()
        #expect(
            String(buffer: body) == "a|" + String(repeating: "b", count: 300) + "|"
                + String(repeating: "c", count: 70_000))
    }

    @Test func aWaitingGetIsAnsweredByTheNextFlushAndOnlyOneMayWait() throws {
        let outlet = PollingOutlet(style: Style(), maxPendingBytes: 1 << 20)
        let waiting = try #require(outlet.poll(on: loop))
        #expect(outlet.poll(on: loop) == nil)
        outlet.write(frame("x"))
        outlet.flush()
        #expect(String(buffer: try waiting.wait()) == "x")
    }

    @Test func closingAnswersTheWaitingGetWithTheCloseMessageOnce() throws {
        let outlet = PollingOutlet(style: Style(), maxPendingBytes: 1 << 20)
        var closed = 0
        outlet.onClose = { closed += 1 }
        let waiting = try #require(outlet.poll(on: loop))
        outlet.write(frame("last"))
        outlet.close(code: .normal, reason: "")
        outlet.close(code: .normal, reason: "")
        #expect(String(buffer: try waiting.wait()) == "last|1")
        #expect(closed == 1)
        #expect(String(buffer: try #require(outlet.poll(on: loop)).wait()) == "1")
    }

    @Test func tooMuchUnpolledIsASlowConsumer() {
        let outlet = PollingOutlet(style: Style(), maxPendingBytes: 10)
        var overflows = 0
        outlet.onOverflow = { overflows += 1 }
        outlet.write(frame("1234"))
        #expect(outlet.backlog == .clear)
        outlet.write(frame("56"))
        #expect(outlet.backlog == .behind)
        outlet.write(frame("78901"))
        outlet.write(frame("more"))
        #expect(outlet.backlog == .over)
        #expect(overflows == 1)
    }

    @Test func aBatchOfSeveralFramesIsOneMessageEach() throws {
        let outlet = PollingOutlet(style: Style(), maxPendingBytes: 1 << 20)
        let long = String(repeating: "l", count: 70_000)
        let batch = ServerFrame.joined(
            [frame("first"), frame(String(repeating: "m", count: 300)), frame(long)], allocator: ByteBufferAllocator())
        outlet.write(batch)
        outlet.write(frame("after"))
        outlet.flush()
        let body = try #require(outlet.poll(on: loop)).wait()
        #expect(String(buffer: body) == "first|" + String(repeating: "m", count: 300) + "|" + long + "|after")
    }

    @Test func handingOverReleasesTheWaitingGetAndMovesTheQueue() throws {
        final class Recorder: ConnectionOutlet {
            var frames: [ByteBuffer] = []
            var flushes = 0
            func write(_ frame: ByteBuffer) { frames.append(frame) }
            func flush() { flushes += 1 }
            var backlog: OutboundBacklog { .clear }
            func close(code: CloseCode, reason: String) {}
        }
        let outlet = PollingOutlet(style: Style(), maxPendingBytes: 1 << 20)
        let waiting = try #require(outlet.poll(on: loop))
        outlet.write(frame("queued"))
        let next = Recorder()
        outlet.handOver(to: next)
        #expect(String(buffer: try waiting.wait()) == "6")
        #expect(next.frames == [frame("queued")])
        #expect(next.flushes == 1)
    }
}
