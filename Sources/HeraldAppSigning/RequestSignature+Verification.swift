extension RequestSignature {
    /// Checks everything a request's head carries: the auth parameters are present, once each, `auth_key` is
    /// the app's, `auth_version` is 1.0, `auth_timestamp` is within `maximumClockSkew` of `now` and
    /// `auth_signature` is right (compared in constant time). The body is checked afterwards, once it has
    /// arrived, with `VerifiedRequest.verifyBody`.
    ///
    /// - Parameters:
    ///   - path: the request target's path exactly as sent, without the query.
    ///   - parameters: the decoded query parameters.
    ///   - now: the server's clock, in seconds since the Unix epoch.
    public static func verify(
        method: String, path: String, parameters: [QueryParameter], credentials: AppCredentials, now: Int64
    ) throws(SignatureRefusal) -> VerifiedRequest {
        // A repeated parameter would make the sorted string to sign ambiguous.
        var seen = Set<String>()
        for parameter in parameters where !seen.insert(parameter.name.lowercased()).inserted {
            throw SignatureRefusal(.repeatedParameter(parameter.name.lowercased()))
        }
        func value(_ name: String) -> String? { parameters.first { $0.name.lowercased() == name }?.value }
        func required(_ name: String) throws(SignatureRefusal) -> String {
            guard let value = value(name) else { throw SignatureRefusal(.missingParameter(name)) }
            return value
        }
        let key = try required(keyParameter)
        let timestampText = try required(timestampParameter)
        let versionText = try required(versionParameter)
        let signature = try required(signatureParameter)

        guard key == credentials.key else { throw SignatureRefusal(.wrongKey) }
        guard versionText == version else { throw SignatureRefusal(.unsupportedVersion(versionText)) }
        guard let timestamp = Int64(timestampText) else { throw SignatureRefusal(.malformedTimestamp(timestampText)) }
        let skew = now >= timestamp ? now - timestamp : timestamp - now
        guard skew <= maximumClockSkew else { throw SignatureRefusal(.staleTimestamp(skewSeconds: skew)) }
        let text = stringToSign(method: method, path: path, parameters: parameters)
        guard ConstantTime.equal(HexHMAC.sha256(text, secret: credentials.secret), signature) else {
            throw SignatureRefusal(.badSignature(stringToSign: text))
        }
        return VerifiedRequest(bodyMD5: value(bodyDigestParameter))
    }

    /// Checks a whole request, head and body at once.
    public static func verify(
        method: String, path: String, parameters: [QueryParameter], body: some Sequence<UInt8>,
        credentials: AppCredentials, now: Int64
    ) throws(SignatureRefusal) {
        try verify(method: method, path: path, parameters: parameters, credentials: credentials, now: now)
            .verifyBody(body)
    }
}

/// A request whose head passed `RequestSignature.verify`; its body still has to match the signed `body_md5`.
public struct VerifiedRequest: Sendable, Hashable {
    /// The `body_md5` the publisher signed, if any.
    public let bodyMD5: String?

    public init(bodyMD5: String?) { self.bodyMD5 = bodyMD5 }

    /// Checks that `body` is the one that was signed: a non-empty body needs a `body_md5`, and a `body_md5` must be
    /// the body's (an empty body's MD5 when the body is empty).
    public func verifyBody(_ body: some Sequence<UInt8>) throws(SignatureRefusal) {
        guard let bodyMD5 else {
            var iterator = body.makeIterator()
            guard iterator.next() == nil else { throw SignatureRefusal(.missingBodyDigest) }
            return
        }
        guard ConstantTime.equal(BodyDigest.md5Hex(body), bodyMD5.lowercased()) else {
            throw SignatureRefusal(.bodyDigestMismatch)
        }
    }
}
