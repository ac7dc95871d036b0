/// The `auth` a client presents to subscribe to a `private-` or `presence-` channel, as the app's own auth
/// endpoint computes it: `"<key>:<hex hmac(secret, string to sign)>"`, where the string to sign is
/// `"<socket_id>:<channel>"`, or `"<socket_id>:<channel>:<channel_data>"` for a presence channel (the
/// `channel_data` JSON text exactly as the client forwards it).
public enum ChannelAuthorization {
    public static func stringToSign(socketID: String, channel: String, channelData: String? = nil) -> String {
        guard let channelData else { return "\(socketID):\(channel)" }
        return "\(socketID):\(channel):\(channelData)"
    }

    /// The `auth` value for a subscription.
    public static func auth(
        socketID: String, channel: String, channelData: String? = nil, credentials: AppCredentials
    ) -> String {
        let text = stringToSign(socketID: socketID, channel: channel, channelData: channelData)
        return "\(credentials.key):\(HexHMAC.sha256(text, secret: credentials.secret))"
    }

    /// Whether `auth` authorizes `socketID` on `channel` (with `channelData`, for presence) for this app: the key
    /// before the colon must be the app's, and the signature after it is compared in constant time.
    public static func verify(
        _ auth: String, socketID: String, channel: String, channelData: String? = nil, credentials: AppCredentials
    ) -> Bool {
        let expected = self.auth(
            socketID: socketID, channel: channel, channelData: channelData, credentials: credentials)
        return ConstantTime.equal(expected, auth)
    }
}
