import Crypto

/// HMAC-SHA256 as Pusher writes it everywhere: the 64 lower-case hex digits of the digest of the UTF-8 bytes of
/// a message, keyed with the UTF-8 bytes of the app's secret.
public enum HexHMAC {
    /// The hex digest of `message` under `secret`.
    public static func sha256(_ message: String, secret: String) -> String {
        sha256(bytes: Array(message.utf8), secret: secret)
    }

    /// The hex digest of raw bytes (a webhook body) under `secret`.
    public static func sha256(bytes: some Sequence<UInt8>, secret: String) -> String {
        let key = SymmetricKey(data: Array(secret.utf8))
        let code = HMAC<SHA256>.authenticationCode(for: Array(bytes), using: key)
        return LowerHex.encode(code)
    }
}
