import NIOCore

/// A long-polling session's `ConnectionOutlet`: frames wait here until the client's next GET takes them all at
/// once. At most one GET waits at a time; it is answered as soon as something is flushed, and the protocol's
/// heartbeat makes sure that happens within one heartbeat interval.
///
/// Frames arrive as complete WebSocket frames (they are shared with WebSocket connections), one or several in a
/// buffer (a batch); the payload is sliced out of each without copying, and each is one message of a GET's
/// answer. Confined to the connection's loop.
final class PollingOutlet: ConnectionOutlet {
    private let style: any LongPollingStyle
    private let maxPendingBytes: Int
    private var queued: [ByteBuffer] = []
    private var queuedBytes = 0
    private var waiting: EventLoopPromise<ByteBuffer>?
    /// Set once the session has ended; its last GET gets the close message.
    private(set) var isClosed = false
    /// Called once when the session ends (to forget it and release its connection).
    var onClose: (() -> Void)?
    /// Called when more than `maxPendingBytes` wait for a client that does not poll (a slow consumer).
    var onOverflow: (() -> Void)?

    init(style: any LongPollingStyle, maxPendingBytes: Int) {
        self.style = style
        self.maxPendingBytes = maxPendingBytes
    }

    func write(_ frames: ByteBuffer) {
        // A batch is several frames in one buffer: each is one message of the GET's answer.
        for payload in ServerFrame.payloads(of: frames) {
            queuedBytes += payload.readableBytes
            queued.append(payload)
        }
        if queuedBytes > maxPendingBytes, let onOverflow {
            self.onOverflow = nil
            onOverflow()
        }
    }

    func flush() {
        guard let waiting, !queued.isEmpty else { return }
        self.waiting = nil
        waiting.succeed(drain())
    }

    var backlog: OutboundBacklog { OutboundBacklog(pendingBytes: queuedBytes, limit: maxPendingBytes) }

    func close(code: CloseCode, reason: String) {
        guard !isClosed else { return }
        isClosed = true
        if let waiting {
            self.waiting = nil
            waiting.succeed(style.body(joining: queued + [style.close]))
        }
        queued = []
        queuedBytes = 0
        let onClose = self.onClose
        self.onClose = nil
        onClose?()
    }

    /// A GET: answered now when something waits, else when something is flushed. A second GET while one
    /// waits is refused (the protocol allows one).
    func poll(on loop: any EventLoop) -> EventLoopFuture<ByteBuffer>? {
        guard waiting == nil else { return nil }
        if isClosed { return loop.makeSucceededFuture(style.body(joining: [style.close])) }
        if !queued.isEmpty { return loop.makeSucceededFuture(drain()) }
        let promise = loop.makePromise(of: ByteBuffer.self)
        waiting = promise
        return promise.futureResult
    }

    /// Answers a waiting GET with a no-op, so the client can complete its move to WebSocket.
    func releaseWaiting() {
        guard let waiting else { return }
        self.waiting = nil
        waiting.succeed(style.body(joining: queued.isEmpty ? [style.noop] : queued))
        queued = []
        queuedBytes = 0
    }

    /// The session moves to WebSocket: a waiting GET is released with a no-op, and what was queued goes to
    /// the new outlet first.
    func handOver(to outlet: any ConnectionOutlet) {
        if let waiting {
            self.waiting = nil
            waiting.succeed(style.body(joining: [style.noop]))
        }
        let frames = queued
        queued = []
        queuedBytes = 0
        let allocator = ByteBufferAllocator()
        for payload in frames {
            outlet.write(
                ServerFrame.text(allocator: allocator, payloadCapacity: payload.readableBytes) {
                    $0.writeImmutableBuffer(payload)
                })
        }
        outlet.flush()
        onClose = nil
        isClosed = true
    }

    private func drain() -> ByteBuffer {
        let body = style.body(joining: queued)
        queued = []
        queuedBytes = 0
        return body
    }
}
