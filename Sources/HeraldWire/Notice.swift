import NIOCore

/// A one-way message between stages: like a `Request` but never answered, for news whose loss a later
/// restatement repairs — a presence change the batcher tells the edges, a connection leaving a presence channel.
/// A notice written while the link is down is not kept.
public struct Notice: Sendable, Hashable {
    /// What the notice is about, such as `presence-change`.
    public var method: String
    /// The raw bytes of one JSON object, carried as they are. An empty buffer is sent as `{}`.
    public var params: ByteBuffer

    public init(method: String, params: ByteBuffer = ByteBuffer(string: "{}")) {
        self.method = method
        self.params = params
    }
}
