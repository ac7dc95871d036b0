/// What an app signs with: its public `key`, which travels with every signature, and its `secret`, which never
/// leaves the server.
public struct AppCredentials: Sendable, Hashable {
    public var key: String
    public var secret: String

    public init(key: String, secret: String) {
        self.key = key
        self.secret = secret
    }
}
