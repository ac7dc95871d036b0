import HeraldModel
import NIOCore

/// Members every event encoding writes alike — the stage wire, the native protocol, Socket.IO's meta object —
/// written in one place.
extension ByteBuffer {
    /// `,"priority":"high|medium|low"`.
    public mutating func writePriorityMember(_ priority: Priority) {
        switch priority {
        case .high: writeStaticString(#","priority":"high""#)
        case .medium: writeStaticString(#","priority":"medium""#)
        case .low: writeStaticString(#","priority":"low""#)
        }
    }

    /// `,"user_id":<the publisher's raw JSON>`, left out when the event names no user.
    public mutating func writeUserIDMember(_ userID: ByteBuffer?) {
        guard let userID, userID.readableBytes > 0 else { return }
        writeStaticString(#","user_id":"#)
        writeJSONRaw(userID)
    }
}
