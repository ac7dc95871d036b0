/// Comparison of secrets-derived text (signatures, digests) in time that does not depend on where the inputs
/// first differ, so an attacker cannot learn a valid signature one character at a time.
public enum ConstantTime {
    /// Whether `given` equals `expected`, byte for byte. The time taken depends only on the length of `given`.
    public static func equal(_ expected: some StringProtocol, _ given: some StringProtocol) -> Bool {
        let expected = Array(expected.utf8)
        var difference = expected.count == given.utf8.count ? 0 : 1
        var index = 0
        for byte in given.utf8 {
            let other = expected.isEmpty ? 0 : expected[index % expected.count]
            difference |= Int(byte ^ other)
            index += 1
        }
        return difference == 0
    }
}
