/// A stable event identifier, assigned once at ingress and carried by every stage.
///
/// Generated ids are `evt_` followed by a ULID (48-bit millisecond time, 80 random bits, Crockford
/// base32), so they sort by creation time. Ids supplied by publishers are accepted when they are
/// 1–64 characters of `[A-Za-z0-9_-]`.
public struct EventID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ rawValue: String) {
        guard NameAlphabet.eventID.accepts(rawValue, lengths: 1...64) else { return nil }
        self.rawValue = rawValue
    }

    /// Wraps a value already known to be valid (decoded from a trusted stage).
    public init(uncheckedRawValue: String) { self.rawValue = uncheckedRawValue }

    public static func generate(
        milliseconds: UInt64 = UInt64(Clock.wallMilliseconds()),
        using generator: inout some RandomNumberGenerator
    ) -> EventID {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
        var out = [UInt8]("evt_".utf8)
        out.reserveCapacity(30)
        for shift in stride(from: 45, through: 0, by: -5) {
            out.append(alphabet[Int((milliseconds >> UInt64(shift)) & 0x1F)])
        }
        // 80 random bits: all of one draw and 16 bits of another, five at a time.
        let high = generator.next()
        let low = generator.next() & 0xFFFF
        for index in 0..<16 {
            let bits = index < 12 ? high >> UInt64(59 - 5 * index) : (high << 16 | low) >> UInt64(75 - 5 * index)
            out.append(alphabet[Int(bits & 0x1F)])
        }
        return EventID(uncheckedRawValue: String(decoding: out, as: UTF8.self))
    }

    /// A new id from the kernel's randomness (through `PooledRandomNumberGenerator`).
    public static func generate() -> EventID {
        var random = PooledRandomNumberGenerator()
        return generate(using: &random)
    }

    public var description: String { rawValue }
    public static func < (lhs: EventID, rhs: EventID) -> Bool { lhs.rawValue < rhs.rawValue }
}
