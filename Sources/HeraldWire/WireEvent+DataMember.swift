import NIOCore

extension WireEvent {
    /// The raw JSON bytes of `data[key]`: what the batcher compares to tell whether two events update the same
    /// thing (`thread_id`). `nil` when `data` is not a JSON object or has no member named `key`; when the key
    /// repeats, the first member counts.
    ///
    /// The bytes are exactly as published (a string keeps its quotes and escapes), so `1` and `1.0`, or `"a"`
    /// and `"\u0061"`, are different values. The result is a slice that keeps `data`'s buffer alive.
    public func dataMember(_ key: String) -> ByteBuffer? {
        guard let object = try? JSONScanner.object(data) else { return nil }
        return object.value(forKey: key)?.raw
    }
}
