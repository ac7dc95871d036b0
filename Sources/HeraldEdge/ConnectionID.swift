import HeraldModel

/// Connection ids (`c_` and 20 Crockford base32 characters, 100 random bits): unique across edges, so a
/// publisher can name one in `socket_id` ("to others") whichever edge holds it.
public enum ConnectionID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    public static func generate(using generator: inout some RandomNumberGenerator) -> String {
        var out: [UInt8] = Array("c_".utf8)
        out.reserveCapacity(22)
        for _ in 0..<20 { out.append(alphabet[Int(generator.next() & 0x1F)]) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }
}
