import NIOCore

/// An HTTP long-polling transport a protocol offers beside WebSocket (Engine.IO's `transport=polling`): how its
/// requests name their session, how many messages travel in one body, and the few messages the transport
/// itself speaks while a session moves to WebSocket.
public protocol LongPollingStyle: Sendable {
    /// The session a request continues, or nil for a request that opens one.
    func sessionID(of request: ConnectionRequest) -> String?
    /// Why a request is not this protocol's polling request (wrong version or transport), or nil.
    func refusal(of request: ConnectionRequest) -> UpgradeRefusal?
    /// The messages in a POST body (at most `limit` bytes in all).
    func messages(in body: ByteBuffer, limit: Int) throws -> [ByteBuffer]
    /// One GET answer holding `messages`.
    func body(joining messages: [ByteBuffer]) -> ByteBuffer
    /// Releases a waiting GET with nothing to say (the client moves to WebSocket).
    var noop: ByteBuffer { get }
    /// The last message of a session the edge ends.
    var close: ByteBuffer { get }
    /// The answer to a WebSocket message sent while the session is being upgraded (`2probe` → `3probe`), or nil.
    func probeAnswer(to message: ByteBuffer) -> ByteBuffer?
    /// Whether a WebSocket message completes the upgrade (Engine.IO's `5`).
    func completesUpgrade(_ message: ByteBuffer) -> Bool
    /// The body of an answer to a request for a session the edge does not hold.
    var unknownSession: ByteBuffer { get }
}
