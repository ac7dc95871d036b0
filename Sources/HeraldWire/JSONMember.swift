/// One `"key": value` pair of a JSON object.
public struct JSONMember: Sendable, Hashable {
    /// The unescaped key.
    public let key: String
    /// The value, unconverted.
    public let value: JSONValueRef

    init(key: String, value: JSONValueRef) {
        self.key = key
        self.value = value
    }
}
