import HeraldWire

/// An ACK: the answer to an EVENT that carried `ackID` (`43456[1,"2"]`, `43/admin,13["bar"]`).
public struct SocketAck: Sendable, Hashable {
    public var namespace: SocketNamespace
    public var ackID: SocketAckID
    /// The elements of the payload array (possibly none), as zero-copy slices of the received packet.
    public var arguments: [JSONValueRef]

    public init(namespace: SocketNamespace, ackID: SocketAckID, arguments: [JSONValueRef]) {
        self.namespace = namespace
        self.ackID = ackID
        self.arguments = arguments
    }
}
