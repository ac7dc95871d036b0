import NIOCore

/// A call to another stage: `authorize-connect` and `authorize-subscribe` (edge → authorizer), `interest`
/// (edge → batcher). It gets exactly one `Response` carrying the same `id`.
public struct Request: Sendable, Hashable {
    /// Chosen by the caller, unique among its requests still waiting on this connection.
    public var id: UInt64
    /// What is asked for, such as `authorize-connect`.
    public var method: String
    /// The arguments: the raw bytes of one JSON object, carried as they are. An empty buffer is sent as `{}`.
    public var params: ByteBuffer

    public init(id: UInt64, method: String, params: ByteBuffer = ByteBuffer(string: "{}")) {
        self.id = id
        self.method = method
        self.params = params
    }
}
