import NIOCore

/// A WebSocket outlet written from another event loop: a long-polling session keeps its loop when it moves
/// to a WebSocket accepted on a different one, so its frames are gathered here and handed over in one
/// `execute` per flush.
///
/// The socket's byte count can only be read on its own loop: from the session's loop an unwritable socket
/// counts as behind, and the socket's loop checks after each hand-over whether it is over the limit.
final class CrossLoopOutlet: ConnectionOutlet {
    private let target: NIOLoopBound<RawFrameOutlet>
    private let channel: any Channel
    private let onOverflow: @Sendable () -> Void
    private var pending: [ByteBuffer] = []

    /// `onOverflow` runs on the socket's loop when more than the limit waits unsent after a hand-over.
    init(_ outlet: NIOLoopBound<RawFrameOutlet>, channel: any Channel, onOverflow: @escaping @Sendable () -> Void) {
        self.target = outlet
        self.channel = channel
        self.onOverflow = onOverflow
    }

    func write(_ frame: ByteBuffer) {
        pending.append(frame)
    }

    func flush() {
        guard !pending.isEmpty else { return }
        let frames = pending
        pending = []
        let target = self.target
        let onOverflow = self.onOverflow
        channel.eventLoop.execute {
            for frame in frames { target.value.write(frame) }
            target.value.flush()
            if target.value.backlog == .over { onOverflow() }
        }
    }

    var backlog: OutboundBacklog { channel.isWritable ? .clear : .behind }

    func close(code: CloseCode, reason: String) {
        flush()
        let target = self.target
        channel.eventLoop.execute { target.value.close(code: code, reason: reason) }
    }
}
