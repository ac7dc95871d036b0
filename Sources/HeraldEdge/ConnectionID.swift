import HeraldModel

/// Connection ids in Pusher's `socket_id` form, `<digits>.<digits>` (two random numbers below 2³¹, about 62
/// random bits): unique across edges, and accepted as `socket_id` by every Pusher server library (Laravel's
/// `toOthers()` included), so a publisher can exclude any client's connection whichever protocol it speaks.
public enum ConnectionID {
    public static func generate(using generator: inout some RandomNumberGenerator) -> String {
        let first = UInt32.random(in: 1..<(1 << 31), using: &generator)
        let second = UInt32.random(in: 1..<(1 << 31), using: &generator)
        return "\(first).\(second)"
    }

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// Whether `text` has the `socket_id` form: digits, one dot, digits.
    public static func isValid(_ text: String) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 2, text.utf8.count <= 41 else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        }
    }
}
