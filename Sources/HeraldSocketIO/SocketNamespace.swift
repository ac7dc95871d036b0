/// A Socket.IO namespace: `/` (the main one, left out on the wire) or a path such as `/rooms/r1`.
///
/// Herald accepts printable ASCII only, starting with `/`, at most `maximumBytes` long, without `,` (it ends the
/// namespace on the wire), quotes, brackets, braces or spaces, so a namespace can never be mistaken for a payload.
public struct SocketNamespace: Sendable, Hashable, CustomStringConvertible {
    /// The longest namespace accepted, in bytes.
    public static let maximumBytes = 256
    /// The main namespace, `/`.
    public static let main = SocketNamespace(uncheckedPath: "/")

    /// The namespace as the client named it, leading `/` included.
    public let path: String

    /// `path` as a namespace, or `nil` when it breaks the rules above.
    public init?(_ path: String) {
        guard Self.isValid(path.utf8) else { return nil }
        self.path = path
    }

    init(uncheckedPath path: String) {
        self.path = path
    }

    /// Whether this is the main namespace, which the wire format leaves out.
    public var isMain: Bool { path == "/" }

    public var description: String { path }

    /// Whether `bytes` form a namespace Herald accepts.
    static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        guard bytes.first == UInt8(ascii: "/"), bytes.count <= maximumBytes else { return false }
        return bytes.allSatisfy(isAllowed)
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
            UInt8(ascii: "}"):
            false
        default: byte >= 0x21 && byte <= 0x7E
        }
    }
}
