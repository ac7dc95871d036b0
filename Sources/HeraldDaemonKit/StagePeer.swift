import HeraldModel
import HeraldWire
import NIOCore

/// One connection accepted on a stage's `input` socket, after it said `hello`.
///
/// Confined to the input server's event loop, like the delegate that receives its messages.
public final class StagePeer: Hashable, @unchecked Sendable, CustomStringConvertible {
    public let connectionNumber: Int
    public let hello: Hello
    private let writer: CoalescingWriter
    private var acknowledgements = PendingAcknowledgements()

    init(connectionNumber: Int, hello: Hello, channel: any Channel) {
        self.connectionNumber = connectionNumber
        self.hello = hello
        self.writer = CoalescingWriter(channel: channel)
    }

    public var description: String { "\(hello.stage)/\(hello.instance)#\(connectionNumber)" }
    public var eventLoop: any EventLoop { writer.channel.eventLoop }
    public var isWritable: Bool { writer.channel.isWritable }
    /// Completes once the connection is closed, whoever closed it.
    public var closeFuture: EventLoopFuture<Void> { writer.channel.closeFuture }

    /// Called on the peer's event loop each time `isWritable` flips: the connection's outbound buffer rose past
    /// its high watermark (`false`) or drained below its low one (`true`). Set by whoever owns the peer, so
    /// it can hold frames back from a slow reader instead of buffering them without bound.
    public var onWritabilityChanged: ((Bool) -> Void)?

    /// Sends `message`. An `ack` or `settled` waits for the end of the tick and goes out with the others of
    /// that tick (`PendingAcknowledgements`); anything else is written at once, after those still waiting.
    public func send(_ message: WireMessage) {
        let nonePending = acknowledgements.isEmpty
        if acknowledgements.absorb(message) {
            if nonePending { eventLoop.assumeIsolated().execute { self.sendAcknowledgements() } }
            return
        }
        sendAcknowledgements()
        var frame = writer.channel.allocator.buffer(capacity: 128)
        frame.writeWireFrame(message)
        writer.write(frame)
    }

    /// Writes frames encoded once by the caller (the same buffer may go to every peer).
    public func write(frames: ByteBuffer) {
        sendAcknowledgements()
        writer.write(frames)
    }

    /// Writes frames and reports when they were handed to the kernel, which is when the batcher may call
    /// an event settled. The flush is still shared with everything else written in this tick.
    public func write(frames: ByteBuffer, promise: EventLoopPromise<Void>) {
        sendAcknowledgements()
        writer.write(frames, promise: promise)
    }

    private func sendAcknowledgements() {
        guard !acknowledgements.isEmpty else { return }
        var frames = writer.channel.allocator.buffer(capacity: 256)
        for message in acknowledgements.take() { frames.writeWireFrame(message) }
        writer.write(frames)
    }

    public func close() {
        writer.channel.close(promise: nil)
    }

    public static func == (lhs: StagePeer, rhs: StagePeer) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
