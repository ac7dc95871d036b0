import HeraldEdge
import HeraldWire

/// The offset a Socket.IO client keeps for connection-state recovery: the last argument of every delivery,
/// `"<epoch>:<sequence>"` — the batcher engine's epoch and the event's engine-wide sequence. The client sends
/// the last one it received back in its CONNECT (`offset`), and every event of the session's channels after
/// it is replayed. Clients treat it as opaque. It is the restore's own cursor, written as text.
typealias SocketRecoveryCursor = SessionRestore.Cursor

extension SessionRestore.Cursor {
    /// The cursor of a delivered event; nil when the event was not numbered by the batcher.
    init?(_ event: WireEvent) {
        guard let epoch = event.epoch, let sequence = event.sequence else { return nil }
        self.init(epoch: epoch, sequence: sequence)
    }

    /// Reads a cursor a client sent back; nil when it is not one this edge wrote.
    init?(text: String) {
        guard let colon = text.lastIndex(of: ":"), let sequence = Int64(text[text.index(after: colon)...]),
            sequence >= 0, colon > text.startIndex
        else { return nil }
        self.init(epoch: String(text[..<colon]), sequence: sequence)
    }

    var text: String { "\(epoch):\(sequence)" }
}
