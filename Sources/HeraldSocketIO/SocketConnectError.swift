import HeraldWire

/// A CONNECT_ERROR: a namespace refused the connection (`44{"message":"Not authorized"}`).
///
/// Servers send it; a client that sends one breaks the protocol, and the session closes the connection.
public struct SocketConnectError: Sendable, Hashable {
    public var namespace: SocketNamespace
    /// The payload's `message`.
    public var message: String
    /// The payload's optional `data`, unconverted.
    public var data: JSONValueRef?

    public init(namespace: SocketNamespace, message: String, data: JSONValueRef? = nil) {
        self.namespace = namespace
        self.message = message
        self.data = data
    }
}
