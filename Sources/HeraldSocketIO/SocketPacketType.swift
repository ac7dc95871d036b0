/// The kind of a Socket.IO v5 packet, sent as a single ASCII digit at the start of an Engine.IO message's data.
public enum SocketPacketType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case connect = 0
    case disconnect = 1
    case event = 2
    case ack = 3
    case connectError = 4
    case binaryEvent = 5
    case binaryAck = 6

    /// The ASCII digit that starts the packet on the wire.
    public var digit: UInt8 { UInt8(ascii: "0") + rawValue }

    /// Whether packets of this type announce binary attachments (`51-[…]`).
    public var isBinary: Bool { self == .binaryEvent || self == .binaryAck }

    /// The type whose digit is `byte`, if any.
    public init?(digit byte: UInt8) {
        guard byte >= UInt8(ascii: "0") else { return nil }
        self.init(rawValue: byte - UInt8(ascii: "0"))
    }

    /// The name the protocol specification uses (`CONNECT`, `BINARY_EVENT`).
    public var description: String {
        switch self {
        case .connect: "CONNECT"
        case .disconnect: "DISCONNECT"
        case .event: "EVENT"
        case .ack: "ACK"
        case .connectError: "CONNECT_ERROR"
        case .binaryEvent: "BINARY_EVENT"
        case .binaryAck: "BINARY_ACK"
        }
    }
}
