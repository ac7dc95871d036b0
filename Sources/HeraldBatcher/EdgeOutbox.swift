import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOCore

/// The batcher's way of writing to one edge: frames go straight to the connection while it is writable and are
/// held, in order, while it is not, so a slow edge costs the batcher a bounded amount of memory and never holds
/// up the others (each edge has its own outbox).
///
/// When more than `limitBytes` are held, the edge is given up: its held promises fail, its connection is
/// closed and a warning is logged. The edge reconnects, states its interest again with the positions it has,
/// and the batcher replays the rest from history.
///
/// Confined to the peer's event loop, like the peer. The outbox becomes the peer's `onWritabilityChanged`
/// handler; write everything for the edge through it (`send` too), or frames may overtake held ones.
public final class EdgeOutbox {
    /// The default bound on held bytes: 64 MiB.
    public static let defaultLimitBytes = 64 << 20

    public let peer: StagePeer
    private var queue: EdgeOutboxQueue
    private let logger: Logger

    public init(peer: StagePeer, limitBytes: Int = EdgeOutbox.defaultLimitBytes, logger: Logger) {
        peer.eventLoop.preconditionInEventLoop()
        self.peer = peer
        self.queue = EdgeOutboxQueue(limitBytes: limitBytes, isWritable: peer.isWritable)
        self.logger = logger
        peer.onWritabilityChanged = { [weak self] writable in self?.writabilityChanged(writable) }
        // Held strongly until the connection closes, so held promises are failed even if the owner let go first.
        peer.closeFuture.assumeIsolated().whenComplete { _ in self.peerClosed() }
    }

    /// Bytes held while the edge is not writable.
    public var heldBytes: Int { queue.heldBytes }
    /// Frames held while the edge is not writable.
    public var heldFrames: Int { queue.heldFrames }
    /// Whether the outbox refuses frames: the edge was given up or its connection closed.
    public var isClosed: Bool { queue.isClosed }

    /// Writes frames encoded once by the caller (the same buffer may go to every edge), or holds them until the
    /// edge can take them. `promise` completes when they were handed to the kernel, and fails when the edge was
    /// given up or closed first.
    public func write(frames: ByteBuffer, promise: EventLoopPromise<Void>? = nil) {
        peer.eventLoop.preconditionInEventLoop()
        switch queue.enqueue(frames, promise: promise) {
        case .write(let entry):
            write(entry)
        case .hold:
            break
        case .giveUp(let entries):
            giveUp(failing: entries)
        case .refuse(let entry):
            entry.promise?.fail(Self.closedError)
        }
    }

    /// Sends one message behind every frame already written or held.
    public func send(_ message: WireMessage) {
        var frame = ByteBufferAllocator().buffer(capacity: 128)
        frame.writeWireFrame(message)
        write(frames: frame)
    }

    private func write(_ entry: EdgeOutboxQueue.Entry) {
        if let promise = entry.promise {
            peer.write(frames: entry.frame, promise: promise)
        } else {
            peer.write(frames: entry.frame)
        }
    }

    private func writabilityChanged(_ writable: Bool) {
        queue.writabilityChanged(writable)
        // A write below may turn the connection unwritable again; that stops the loop.
        while let entry = queue.nextToWrite() { write(entry) }
    }

    private func giveUp(failing entries: [EdgeOutboxQueue.Entry]) {
        logger.warning(
            "edge is not reading its deliveries; closing its connection so it reconnects and catches up from history",
            metadata: [
                "herald.peer": "\(peer)", "herald.outbox.frames": "\(entries.count)",
                "herald.outbox.limit_bytes": "\(queue.limitBytes)",
            ])
        let error = HeraldError(
            .unavailable, "the edge fell more than \(queue.limitBytes) bytes behind and was disconnected")
        for entry in entries { entry.promise?.fail(error) }
        peer.close()
    }

    private func peerClosed() {
        for entry in queue.close() { entry.promise?.fail(Self.closedError) }
    }

    private static var closedError: HeraldError { HeraldError(.unavailable, "the edge connection is closed") }
}
