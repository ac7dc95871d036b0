import JWTKit

/// The HS256 key for a shared secret, exactly as other JWT libraries (Laravel's, PyJWT, jsonwebtoken) use it.
///
/// jwt-kit asserts that an HMAC key is at least 32 bytes, while deployments often share shorter secrets.
/// HMAC (RFC 2104 §2) pads a key shorter than the hash's 64-byte block with zeros, so padding it here to
/// 64 bytes produces the very same signatures and satisfies the assertion. Longer keys are left as given.
enum SharedSecret {
    static let blockSize = 64

    static func key(_ secret: String) -> HMACKey {
        var bytes = Array(secret.utf8)
        if bytes.count < 32 { bytes += [UInt8](repeating: 0, count: blockSize - bytes.count) }
        return HMACKey(from: bytes)
    }
}
