import HeraldWire

/// A client's CONNECT: the namespace it joins and its optional payload (`40`, `40/admin,{"token":"abc"}`).
public struct SocketConnect: Sendable, Hashable {
    public var namespace: SocketNamespace
    /// The payload object (the client's `auth`), as the client sent it; `nil` when there was none.
    public var auth: JSONValueRef?
    /// The private session id a client recovering its connection state sends back in the payload.
    public var pid: String?
    /// The offset of the last packet a recovering client received, sent in the payload next to `pid`.
    public var offset: String?

    public init(namespace: SocketNamespace, auth: JSONValueRef? = nil, pid: String? = nil, offset: String? = nil) {
        self.namespace = namespace
        self.auth = auth
        self.pid = pid
        self.offset = offset
    }
}
