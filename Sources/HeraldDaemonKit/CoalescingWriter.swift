import NIOCore

/// Writes frames to a channel and flushes once per event-loop tick, however many frames were written in
/// it: flush coalescing is the biggest single win measured for Herald's fan-out (docs/architecture.md).
///
/// Confined to the channel's event loop.
final class CoalescingWriter {
    let channel: any Channel
    private var flushPending = false

    init(channel: any Channel) { self.channel = channel }

    func write(_ buffer: ByteBuffer, promise: EventLoopPromise<Void>? = nil) {
        channel.eventLoop.preconditionInEventLoop()
        channel.write(buffer, promise: promise)
        guard !flushPending else { return }
        flushPending = true
        channel.eventLoop.assumeIsolated().execute { [self] in
            flushPending = false
            channel.flush()
        }
    }
}
