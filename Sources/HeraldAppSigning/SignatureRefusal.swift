/// Why a signed request was not accepted, with a message that tells the publisher what to fix. The message never
/// contains the app's secret or the signature the server expected.
public struct SignatureRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// A required query parameter (`auth_key`, `auth_timestamp`, `auth_version`, `auth_signature`) is absent.
        case missingParameter(String)
        /// A parameter appears more than once, so what was signed is ambiguous.
        case repeatedParameter(String)
        /// `auth_key` is not the key of the app the request is addressed to.
        case wrongKey
        /// `auth_version` is not `1.0`.
        case unsupportedVersion(String)
        /// `auth_timestamp` is not a whole number of seconds since the Unix epoch.
        case malformedTimestamp(String)
        /// `auth_timestamp` is further from the server's clock than `RequestSignature.maximumClockSkew` allows.
        case staleTimestamp(skewSeconds: Int64)
        /// `auth_signature` is not the HMAC of `stringToSign` under the app's secret.
        case badSignature(stringToSign: String)
        /// The request has a body but no `body_md5`.
        case missingBodyDigest
        /// `body_md5` is not the MD5 of the body that arrived: the body was altered or truncated on the way.
        case bodyDigestMismatch
    }

    public let reason: Reason

    public init(_ reason: Reason) { self.reason = reason }

    public var message: String {
        switch reason {
        case .missingParameter(let name):
            "the query parameter \(name) is required: sign the request with the app's key and secret "
                + "(auth_key, auth_timestamp, auth_version=1.0, body_md5, auth_signature)"
        case .repeatedParameter(let name):
            "the query parameter \(name) appears more than once; send each parameter once"
        case .wrongKey:
            "auth_key is not the key of the app named in the URL; sign with that app's key and secret"
        case .unsupportedVersion(let version):
            "auth_version \"\(version)\" is not supported; use 1.0"
        case .malformedTimestamp(let text):
            "auth_timestamp \"\(text)\" is not a number of seconds since 1970-01-01T00:00:00Z"
        case .staleTimestamp(let skew):
            "auth_timestamp is \(skew) s away from the server's clock, more than the "
                + "\(RequestSignature.maximumClockSkew) s allowed; sign each request when it is sent and keep the "
                + "publisher's clock in sync (NTP)"
        case .badSignature(let stringToSign):
            "auth_signature does not match: the app's secret is wrong, or the request was altered. The string to "
                + "sign is \"\(Self.visible(stringToSign))\" (method, path and sorted query without auth_signature)"
        case .missingBodyDigest:
            "body_md5 is required when the request has a body: send the hex MD5 of the body and sign it"
        case .bodyDigestMismatch:
            "body_md5 does not match the body received: the body was altered after it was signed"
        }
    }

    public var description: String { message }

    /// The string to sign with its line breaks written as `\n`, so the message stays on one line.
    private static func visible(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n")
    }
}
