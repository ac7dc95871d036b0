extension HeraldConfiguration {
    /// Development defaults and settings that work but deserve a second look before production. They never
    /// stop Herald; `heraldctl check-config` prints them and daemons log them at startup.
    public var warnings: [ConfigProblem] {
        var notes: [ConfigProblem] = []
        if let secret = auth.jwtSecret {
            if secret == "change-me" {
                notes.append(
                    ConfigProblem(
                        keyPath: "auth.jwt_secret",
                        message: "is the development default \"change-me\"; anyone can sign tokens with it. Set 32+ "
                            + "random bytes with LoadCredential=jwt_secret:/etc/herald/jwt_secret or "
                            + "HERALD_AUTH_JWT_SECRET"))
            } else if secret.utf8.count < 32 {
                notes.append(
                    ConfigProblem(
                        keyPath: "auth.jwt_secret",
                        message: "is shorter than 32 bytes; HS256 secrets should be at least 32 random bytes"))
            }
        }
        for (index, key) in apiKeys.enumerated() where key.key == APIKey.development.key {
            notes.append(
                ConfigProblem(
                    keyPath: "api_keys[\(index)].key",
                    message: "is the development key \"\(key.key)\"; replace it with a random key"))
        }
        for (index, app) in apps.enumerated() where app.secret == AppConfig.lottery.secret {
            notes.append(
                ConfigProblem(
                    keyPath: "apps[\(index)].secret",
                    message: "is the development secret \"\(app.secret)\"; replace it with a random secret"))
        }
        if edge.allowedOrigins.contains("*") {
            notes.append(
                ConfigProblem(
                    keyPath: "edge.allowed_origins",
                    message: "\"*\" accepts WebSocket connections from any web page; list your sites' origins"))
        }
        if engine.type == .memory, engine.url != nil {
            notes.append(ConfigProblem(keyPath: "engine.url", message: "is ignored while engine.type is memory"))
        }
        return notes
    }
}
