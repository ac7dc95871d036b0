import NIOCore

/// Gathers a polling request's body as its chunks arrive, refusing it the moment it would pass `maxPayload`.
///
/// Each chunk is checked before it is buffered, so an oversized body costs at most `maxPayload` bytes of memory.
public struct EnginePayloadCollector: Sendable {
    /// The largest body accepted, in bytes: the `maxPayload` announced in the open packet.
    public let maxPayload: Int
    private var body: ByteBuffer

    public init(maxPayload: Int) {
        self.maxPayload = maxPayload
        self.body = ByteBuffer()
    }

    /// The number of bytes gathered so far.
    public var count: Int { body.readableBytes }

    /// Adds one chunk of the body. Throws `EngineIOError.payloadTooLarge`, buffering nothing of the chunk, when
    /// the body would grow past `maxPayload`.
    public mutating func append(_ chunk: ByteBuffer) throws(EngineIOError) {
        guard chunk.readableBytes <= maxPayload - body.readableBytes else {
            throw .payloadTooLarge(limit: maxPayload)
        }
        body.writeImmutableBuffer(chunk)
    }

    /// The packets of the complete body.
    public func packets() throws(EngineIOError) -> [EnginePacket] {
        try EnginePayload.decode(body, maxPayload: maxPayload)
    }
}
