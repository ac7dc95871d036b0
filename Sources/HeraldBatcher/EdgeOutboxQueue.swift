import NIOCore

/// What an edge connection has not been able to take yet: frames held, in order, while the edge reads more
/// slowly than the batcher writes, up to a bound in bytes.
///
/// A pure state machine behind `EdgeOutbox`: it is told of every frame and of every change in the connection's
/// writability, and answers what to write, what to hold and when to give the edge up.
struct EdgeOutboxQueue {
    /// A frame and the promise to complete once it is written (or failed).
    struct Entry {
        var frame: ByteBuffer
        var promise: EventLoopPromise<Void>?
    }

    /// What to do with a frame handed to `enqueue`.
    enum Action {
        /// Write it now.
        case write(Entry)
        /// Nothing: it is held until the connection is writable again.
        case hold
        /// The held bytes passed the bound: fail these entries (every held one, the new one last) and close the
        /// connection. Later frames are refused.
        case giveUp([Entry])
        /// The edge was given up or its connection closed: fail this entry.
        case refuse(Entry)
    }

    /// Held bytes above which the edge is given up.
    let limitBytes: Int
    private(set) var isWritable: Bool
    /// Whether frames are refused: the edge was given up or its connection closed.
    private(set) var isClosed = false
    private(set) var heldBytes = 0
    private var held = CircularBuffer<Entry>()

    init(limitBytes: Int, isWritable: Bool) {
        self.limitBytes = limitBytes
        self.isWritable = isWritable
    }

    var heldFrames: Int { held.count }

    /// A frame to send. It is written at once only while the connection is writable and nothing is held before
    /// it, so frames always leave in the order they came.
    mutating func enqueue(_ frame: ByteBuffer, promise: EventLoopPromise<Void>?) -> Action {
        let entry = Entry(frame: frame, promise: promise)
        guard !isClosed else { return .refuse(entry) }
        if isWritable, held.isEmpty { return .write(entry) }
        held.append(entry)
        heldBytes += frame.readableBytes
        guard heldBytes > limitBytes else { return .hold }
        return .giveUp(close())
    }

    /// The connection's writability flipped. When it turned writable, the owner writes `nextToWrite()` until it
    /// answers `nil`.
    mutating func writabilityChanged(_ writable: Bool) {
        isWritable = writable
    }

    /// The oldest held frame, taken off the queue, while the connection is writable; `nil` otherwise.
    mutating func nextToWrite() -> Entry? {
        guard isWritable, !isClosed, let entry = held.popFirst() else { return nil }
        heldBytes -= entry.frame.readableBytes
        return entry
    }

    /// The edge is gone: returns every held entry, to fail, and refuses what comes later.
    mutating func close() -> [Entry] {
        isClosed = true
        heldBytes = 0
        defer { held.removeAll() }
        return Array(held)
    }
}
