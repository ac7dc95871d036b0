/// The id a sender attaches to an EVENT to ask for an ACK, and the ACK carries back: decimal digits on the wire.
///
/// Bounded by the largest integer a JavaScript client can count to exactly (2^53 - 1), so no id overflows on
/// either side.
public struct SocketAckID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The largest id accepted.
    public static let maximum: UInt64 = 9_007_199_254_740_991
    /// The most digits an id may be written with; longer runs are refused before they are added up.
    static let maximumDigits = 16

    public let value: UInt64

    /// `value` as an ack id, or `nil` when it is above `maximum`.
    public init?(_ value: UInt64) {
        guard value <= Self.maximum else { return nil }
        self.value = value
    }

    public var description: String { String(value) }

    public static func < (lhs: SocketAckID, rhs: SocketAckID) -> Bool { lhs.value < rhs.value }
}
