import NIOCore
import NIOPosix
import Testing

@testable import HeraldBatcher

/// The outbox's queue without a socket: what is written at once, what is held, and when an edge is given up.
@Suite struct EdgeOutboxQueueTests {
    let loop = MultiThreadedEventLoopGroup.singleton.next()

    func frame(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    func written(_ action: EdgeOutboxQueue.Action) -> String? {
        guard case .write(let entry) = action else { return nil }
        return String(buffer: entry.frame)
    }

    func isHeld(_ action: EdgeOutboxQueue.Action) -> Bool {
        guard case .hold = action else { return false }
        return true
    }

    func drain(_ queue: inout EdgeOutboxQueue) -> [String] {
        var frames: [String] = []
        while let entry = queue.nextToWrite() { frames.append(String(buffer: entry.frame)) }
        return frames
    }

    @Test func writesAtOnceWhileWritable() {
        var queue = EdgeOutboxQueue(limitBytes: 100, isWritable: true)
        #expect(written(queue.enqueue(frame("a"), promise: nil)) == "a")
        #expect(written(queue.enqueue(frame("b"), promise: nil)) == "b")
        #expect(queue.heldFrames == 0)
        #expect(queue.heldBytes == 0)
    }

    @Test func holdsWhileUnwritableAndReleasesInOrder() {
        var queue = EdgeOutboxQueue(limitBytes: 100, isWritable: true)
        queue.writabilityChanged(false)
        #expect(isHeld(queue.enqueue(frame("one"), promise: nil)))
        #expect(isHeld(queue.enqueue(frame("two"), promise: nil)))
        #expect(queue.heldFrames == 2)
        #expect(queue.heldBytes == 6)
        #expect(queue.nextToWrite() == nil)
        queue.writabilityChanged(true)
        #expect(drain(&queue) == ["one", "two"])
        #expect(queue.heldBytes == 0)
    }

    @Test func aNewFrameWaitsBehindHeldOnesEvenWhenWritable() {
        var queue = EdgeOutboxQueue(limitBytes: 100, isWritable: false)
        _ = queue.enqueue(frame("old"), promise: nil)
        queue.writabilityChanged(true)
        #expect(isHeld(queue.enqueue(frame("new"), promise: nil)))
        #expect(drain(&queue) == ["old", "new"])
        #expect(written(queue.enqueue(frame("later"), promise: nil)) == "later")
    }

    @Test func releasingStopsWhenTheConnectionTurnsUnwritableAgain() {
        var queue = EdgeOutboxQueue(limitBytes: 100, isWritable: false)
        for text in ["a", "b", "c"] { _ = queue.enqueue(frame(text), promise: nil) }
        queue.writabilityChanged(true)
        #expect(queue.nextToWrite().map { String(buffer: $0.frame) } == "a")
        queue.writabilityChanged(false)
        #expect(queue.nextToWrite() == nil)
        #expect(queue.heldFrames == 2)
        #expect(queue.heldBytes == 2)
        queue.writabilityChanged(true)
        #expect(drain(&queue) == ["b", "c"])
    }

    @Test func exactlyTheBoundIsStillHeldOneByteMoreGivesUp() {
        var queue = EdgeOutboxQueue(limitBytes: 8, isWritable: false)
        #expect(isHeld(queue.enqueue(frame("1234"), promise: nil)))
        #expect(isHeld(queue.enqueue(frame("5678"), promise: nil)))
        guard case .giveUp(let entries) = queue.enqueue(frame("9"), promise: nil) else {
            Issue.record("expected the edge to be given up")
            return
        }
        #expect(entries.map { String(buffer: $0.frame) } == ["1234", "5678", "9"])
        #expect(queue.isClosed)
        #expect(queue.heldFrames == 0)
        #expect(queue.heldBytes == 0)
    }

    @Test func givingUpHandsBackEveryPromiseAndRefusesLaterFrames() throws {
        var queue = EdgeOutboxQueue(limitBytes: 4, isWritable: false)
        let first = loop.makePromise(of: Void.self)
        let second = loop.makePromise(of: Void.self)
        _ = queue.enqueue(frame("abc"), promise: first)
        guard case .giveUp(let entries) = queue.enqueue(frame("def"), promise: second) else {
            Issue.record("expected the edge to be given up")
            return
        }
        #expect(entries.map { $0.promise?.futureResult } == [first.futureResult, second.futureResult])
        queue.writabilityChanged(true)
        #expect(queue.nextToWrite() == nil)
        let late = loop.makePromise(of: Void.self)
        guard case .refuse(let refused) = queue.enqueue(frame("g"), promise: late) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refused.promise?.futureResult == late.futureResult)
        for promise in [first, second, late] { promise.succeed() }
    }

    @Test func closingHandsBackWhatIsHeld() {
        var queue = EdgeOutboxQueue(limitBytes: 100, isWritable: false)
        _ = queue.enqueue(frame("a"), promise: nil)
        _ = queue.enqueue(frame("b"), promise: nil)
        #expect(queue.close().map { String(buffer: $0.frame) } == ["a", "b"])
        #expect(queue.heldFrames == 0)
        guard case .refuse = queue.enqueue(frame("c"), promise: nil) else {
            Issue.record("expected a refusal after close")
            return
        }
    }
}
