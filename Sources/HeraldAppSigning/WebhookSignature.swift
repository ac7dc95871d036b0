/// How a webhook proves it comes from the server: the request carries the app's key in `X-Pusher-Key` and the
/// hex HMAC-SHA256 of the exact body bytes, under the app's secret, in `X-Pusher-Signature`.
public enum WebhookSignature {
    public static let keyHeader = "X-Pusher-Key"
    public static let signatureHeader = "X-Pusher-Signature"

    /// The `X-Pusher-Signature` value for `body`.
    public static func sign(body: some Sequence<UInt8>, secret: String) -> String {
        HexHMAC.sha256(bytes: body, secret: secret)
    }

    /// Whether `signature` is the body's, compared in constant time.
    public static func verify(_ signature: String, body: some Sequence<UInt8>, secret: String) -> Bool {
        ConstantTime.equal(sign(body: body, secret: secret), signature)
    }
}
