/// The signature of a Pusher HTTP API request (`POST /apps/{appId}/events`, …): an HMAC-SHA256, under the app's
/// secret, of
///
///     METHOD\n/path\nname1=value1&name2=value2…
///
/// where the query parameters are decoded, their names lower-cased, sorted by name and joined without escaping,
/// `auth_signature` itself left out. The query carries `auth_key`, `auth_timestamp` (seconds since the epoch),
/// `auth_version=1.0`, `body_md5` (hex MD5 of the body) and `auth_signature`.
public enum RequestSignature {
    /// The only `auth_version` there is.
    public static let version = "1.0"
    /// How far `auth_timestamp` may be from the server's clock, either way, in seconds.
    public static let maximumClockSkew: Int64 = 600

    public static let keyParameter = "auth_key"
    public static let timestampParameter = "auth_timestamp"
    public static let versionParameter = "auth_version"
    public static let bodyDigestParameter = "body_md5"
    public static let signatureParameter = "auth_signature"

    /// `METHOD\n/path\nsorted query`, the text the signature is computed over.
    public static func stringToSign(method: String, path: String, parameters: [QueryParameter]) -> String {
        let signed =
            parameters
            .map { QueryParameter($0.name.lowercased(), $0.value) }
            .filter { $0.name != signatureParameter }
            .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        let query = signed.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        return "\(method.uppercased())\n\(path)\n\(query)"
    }

    /// The hex `auth_signature` of a request.
    public static func sign(method: String, path: String, parameters: [QueryParameter], secret: String) -> String {
        HexHMAC.sha256(stringToSign(method: method, path: path, parameters: parameters), secret: secret)
    }

    /// `parameters` plus everything a signed request carries, as a publisher sends it: `auth_key`,
    /// `auth_timestamp`, `auth_version`, `body_md5` (when there is a body) and `auth_signature`.
    public static func signedParameters(
        method: String, path: String, parameters: [QueryParameter] = [], body: some Collection<UInt8>,
        credentials: AppCredentials, timestamp: Int64
    ) -> [QueryParameter] {
        var signed = parameters
        signed.append(QueryParameter(keyParameter, credentials.key))
        signed.append(QueryParameter(timestampParameter, String(timestamp)))
        signed.append(QueryParameter(versionParameter, version))
        if !body.isEmpty { signed.append(QueryParameter(bodyDigestParameter, BodyDigest.md5Hex(body))) }
        let signature = sign(method: method, path: path, parameters: signed, secret: credentials.secret)
        signed.append(QueryParameter(signatureParameter, signature))
        return signed
    }
}
