import Crypto

/// The `body_md5` of a Pusher HTTP API request: lower-case hex MD5 of the body's bytes. MD5 is what the protocol
/// prescribes; the body is protected by the HMAC over the query that carries this digest, not by MD5 alone.
public enum BodyDigest {
    public static func md5Hex(_ body: some Sequence<UInt8>) -> String {
        var hasher = Insecure.MD5()
        let hashed: Bool? = body.withContiguousStorageIfAvailable { bytes in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            return true
        }
        if hashed == nil {
            let copy = Array(body)
            copy.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        return LowerHex.encode(hasher.finalize())
    }
}
