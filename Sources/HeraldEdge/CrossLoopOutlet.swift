import NIOCore

/// A WebSocket outlet written from another event loop: a long-polling session keeps its loop when it moves
/// to a WebSocket accepted on a different one, so its frames are gathered here and handed over in one
/// `execute` per flush.
final class CrossLoopOutlet: ConnectionOutlet {
    private let target: NIOLoopBound<RawFrameOutlet>
    private let channel: any Channel
    private var pending: [ByteBuffer] = []

    init(_ outlet: NIOLoopBound<RawFrameOutlet>, channel: any Channel) {
        self.target = outlet
        self.channel = channel
    }

    func write(_ frame: ByteBuffer) {
        pending.append(frame)
    }

    func flush() {
        guard !pending.isEmpty else { return }
        let frames = pending
        pending = []
        let target = self.target
        channel.eventLoop.execute {
            for frame in frames { target.value.write(frame) }
            target.value.flush()
        }
    }

    var isWritable: Bool { channel.isWritable }

    func close(code: CloseCode, reason: String) {
        flush()
        let target = self.target
        channel.eventLoop.execute { target.value.close(code: code, reason: reason) }
    }
}
