/// A stable event identifier, assigned once at ingress and carried by every stage.
///
/// Generated ids are `evt_` followed by a ULID (48-bit millisecond time, 80 random bits, Crockford
/// base32), so they sort by creation time. Ids supplied by publishers are accepted when they are
/// 1–64 characters of `[A-Za-z0-9_-]`.
public struct EventID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ rawValue: String) {
        guard (1...64).contains(rawValue.utf8.count),
            rawValue.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else { return nil }
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
        for _ in 0..<16 { out.append(alphabet[Int(generator.next() & 0x1F)]) }
        return EventID(uncheckedRawValue: String(decoding: out, as: UTF8.self))
    }

    public static func generate() -> EventID {
        var rng = SystemRandomNumberGenerator()
        return generate(using: &rng)
    }

    public var description: String { rawValue }
    public static func < (lhs: EventID, rhs: EventID) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension UInt8 {
    @inlinable var isASCIIAlphanumeric: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A)
    }
}
