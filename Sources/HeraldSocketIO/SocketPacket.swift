/// One Socket.IO v5 packet as decoded from the data of an Engine.IO message packet.
///
/// Text form: `<type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]`.
public enum SocketPacket: Sendable, Hashable {
    /// CONNECT (0): join a namespace.
    case connect(SocketConnect)
    /// DISCONNECT (1): leave a namespace; no payload.
    case disconnect(SocketNamespace)
    /// EVENT (2).
    case event(SocketEvent)
    /// ACK (3).
    case ack(SocketAck)
    /// CONNECT_ERROR (4).
    case connectError(SocketConnectError)
    /// BINARY_EVENT (5) or BINARY_ACK (6): recognized, but not supported by Herald.
    case binaryNotSupported(SocketBinaryPacket)

    /// The namespace the packet belongs to.
    public var namespace: SocketNamespace {
        switch self {
        case .connect(let connect): connect.namespace
        case .disconnect(let namespace): namespace
        case .event(let event): event.namespace
        case .ack(let ack): ack.namespace
        case .connectError(let error): error.namespace
        case .binaryNotSupported(let packet): packet.namespace
        }
    }
}
