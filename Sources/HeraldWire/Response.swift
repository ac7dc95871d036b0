import NIOCore

/// The one answer to a `Request`, matched to it by `id`.
public struct Response: Sendable, Hashable {
    /// The `id` of the request this answers.
    public var id: UInt64
    /// The result (the raw bytes of one JSON value; an empty buffer is sent as `null`) or why it failed.
    public var outcome: Result<ByteBuffer, WireFailure>

    public init(id: UInt64, outcome: Result<ByteBuffer, WireFailure>) {
        self.id = id
        self.outcome = outcome
    }
}
