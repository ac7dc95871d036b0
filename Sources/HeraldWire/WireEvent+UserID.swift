import NIOCore

extension WireEvent {
    /// `user_id` as the user id it names: a JSON string's text, or a number's decimal text (`123` is user
    /// `"123"`); nil when absent or not a JSON value.
    public var userIDText: String? {
        guard let userID, userID.readableBytes > 0, let value = try? JSONScanner.value(userID) else { return nil }
        return value.string ?? String(buffer: value.raw)
    }
}
