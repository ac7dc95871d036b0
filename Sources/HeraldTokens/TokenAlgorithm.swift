/// The signature algorithms Herald accepts on client tokens. Which ones a verifier accepts follows from its
/// configuration: HS256 only with a shared secret, RS256 and ES256 only with public keys of that type.
public enum TokenAlgorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case hs256 = "HS256"
    case rs256 = "RS256"
    case es256 = "ES256"

    public var description: String { rawValue }
}
