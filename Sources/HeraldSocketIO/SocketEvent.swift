import HeraldWire

/// An EVENT: a name and its arguments, optionally asking for an ACK (`42["chat","hi"]`, `42/admin,12["ping"]`).
public struct SocketEvent: Sendable, Hashable {
    public var namespace: SocketNamespace
    /// Present when the sender waits for an ACK carrying the same id.
    public var ackID: SocketAckID?
    /// The event name: the first element of the payload array.
    public var name: String
    /// The elements after the name, as zero-copy slices of the received packet.
    public var arguments: [JSONValueRef]

    public init(namespace: SocketNamespace, ackID: SocketAckID? = nil, name: String, arguments: [JSONValueRef]) {
        self.namespace = namespace
        self.ackID = ackID
        self.name = name
        self.arguments = arguments
    }
}
