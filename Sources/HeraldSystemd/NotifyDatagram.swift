import Glibc

/// One datagram received on a notify socket: the assignments a daemon sent together in one `sd_notify` call.
///
/// The assignments are kept together because they belong together: `READY=1` with `STATUS=` or `MAINPID=`,
/// `RELOADING=1` with `MONOTONIC_USEC=`.
public struct NotifyDatagram: Sendable, Equatable, CustomStringConvertible {
    /// The sender's pid as the kernel reports it (`SO_PASSCRED`), or nil when it was not attached.
    public let senderPID: pid_t?
    /// The datagram's text exactly as received.
    public let text: String
    /// The parsed assignments, in order.
    public let messages: [NotifyMessage]
    /// Position of this datagram among all datagrams the listener received, starting at 1.
    public let sequence: Int

    public init(senderPID: pid_t?, text: String, sequence: Int) {
        self.senderPID = senderPID
        self.text = text
        self.messages = NotifyMessage.parse(text)
        self.sequence = sequence
    }

    /// True when the datagram carries `message`.
    public func contains(_ message: NotifyMessage) -> Bool {
        self.messages.contains(message)
    }

    /// The `STATUS=` text, if the datagram carries one.
    public var status: String? {
        for case .status(let text) in self.messages { return text }
        return nil
    }

    /// The `MAINPID=` value, if the datagram carries one.
    public var mainPID: pid_t? {
        for case .mainPID(let pid) in self.messages { return pid }
        return nil
    }

    public var description: String {
        let sender = self.senderPID.map { "pid \($0)" } ?? "unknown pid"
        return "#\(self.sequence) from \(sender): \(self.text.split(separator: "\n").joined(separator: " | "))"
    }
}
