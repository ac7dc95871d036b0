import HeraldModel
import HeraldWire
import NIOCore

/// A stage request or answer with a hand-written JSON codec: those every client connection costs
/// (`authorize-connect`, `authorize-subscribe` and `interest` with their answers, and `connections-closed`), and
/// the values inside them.
///
/// `StageRequests.encode` and `decode` pick this codec over Foundation's for conforming types. The encoder writes
/// the bytes Foundation's `JSONEncoder` wrote for the same value with `[.sortedKeys, .withoutEscapingSlashes]`
/// (keys in UTF-8 order, `nil` members left out), so peers see no difference. The decoder reads members in any
/// order, ignores unknown ones and takes `null` for absent.
public protocol StageCodable: StageValue, Codable {}

/// A value stages exchange that is written and read by hand on HeraldWire's JSON writer and scanner only:
/// `StageCodable` values, and those with members Foundation's coders cannot carry (raw JSON, such as a presence
/// member's `info`).
public protocol StageValue {
    /// What error messages call the value: its method (`authorize-connect`), or what it is.
    static var stageName: String { get }

    /// Appends the value as one JSON object.
    func encode(into buffer: inout ByteBuffer)

    /// Reads the value from an object's members; throws a `WireError` naming the member that is wrong.
    init(fields: WireFields) throws
}

extension StageValue {
    /// The value as one JSON object.
    public var encoded: ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 128)
        encode(into: &buffer)
        return buffer
    }

    /// Reads the value from `params` (one JSON object); throws `INVALID_PAYLOAD` naming the value and the member
    /// that is wrong, as in `authorize-connect: token: must be a string`.
    public init(params: ByteBuffer) throws {
        do {
            self = try Self(fields: WireFields(try JSONScanner.object(params)))
        } catch let error as WireError {
            throw HeraldError(.invalidPayload, "\(Self.stageName): \(error.message)")
        } catch {
            throw HeraldError(.invalidPayload, "\(Self.stageName): \(error)")
        }
    }
}
