/// The `auth` a client presents with `pusher:signin`, as the app's user-authentication endpoint computes it:
/// `"<key>:<hex hmac(secret, "<socket_id>::user::<user_data>")>"`, where `user_data` is the JSON text (with at
/// least an `id`) exactly as the client forwards it.
public enum UserAuthentication {
    public static func stringToSign(socketID: String, userData: String) -> String {
        "\(socketID)::user::\(userData)"
    }

    /// The `auth` value for a sign-in.
    public static func auth(socketID: String, userData: String, credentials: AppCredentials) -> String {
        let signature = HexHMAC.sha256(stringToSign(socketID: socketID, userData: userData), secret: credentials.secret)
        return "\(credentials.key):\(signature)"
    }

    /// Whether `auth` signs `userData` in for `socketID` for this app, compared in constant time.
    public static func verify(_ auth: String, socketID: String, userData: String, credentials: AppCredentials) -> Bool {
        ConstantTime.equal(self.auth(socketID: socketID, userData: userData, credentials: credentials), auth)
    }
}
