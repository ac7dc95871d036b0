/// The header of a BINARY_EVENT or BINARY_ACK (`451-["upload",{"_placeholder":true,"num":0}]`).
///
/// Herald carries JSON only: such a packet is decoded this far so that a session can refuse it with a clear
/// reason (and, for a BINARY_EVENT with an ack id, answer the right id) instead of failing on the attachments.
public struct SocketBinaryPacket: Sendable, Hashable {
    /// `.binaryEvent` or `.binaryAck`.
    public var type: SocketPacketType
    public var namespace: SocketNamespace
    /// The number of binary attachments announced before the `-`.
    public var attachments: Int
    public var ackID: SocketAckID?

    public init(type: SocketPacketType, namespace: SocketNamespace, attachments: Int, ackID: SocketAckID? = nil) {
        self.type = type
        self.namespace = namespace
        self.attachments = attachments
        self.ackID = ackID
    }
}
