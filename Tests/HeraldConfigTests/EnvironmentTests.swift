import Testing

@testable import HeraldConfig

@Suite struct EnvironmentTests {
    @Test func variablesOverrideTheFile() throws {
        let c = try load(
            "limits: {client_events_per_minute: 10}\nauth: {jwt_secret: from-file}\n",
            environment: [
                "HERALD_LIMITS_CLIENT_EVENTS_PER_MINUTE": "50",
                "HERALD_AUTH_JWT_SECRET": "from-environment",
                "HERALD_EDGE_LISTEN": "[::1]:7001",
                "HERALD_ENGINE_TYPE": "redis",
                "HERALD_ENGINE_URL": "redis://127.0.0.1:6379",
                "HERALD_AUTH_ISSUER": "mechamap",
                "HERALD_BATCHER_MEDIUM_WINDOW_MS": "1_500",
            ])
        #expect(c.limits.clientEventsPerMinute == 50)
        #expect(c.auth.jwtSecret == "from-environment")
        #expect(c.edge.listen == ListenAddress(host: "::1", port: 7001))
        #expect(c.engine == EngineConfig(type: .redis, url: "redis://127.0.0.1:6379"))
        #expect(c.auth.issuer == "mechamap")
        #expect(c.batcher.mediumWindowMilliseconds == 1500)
    }

    @Test func everyScalarKeyHasAVariable() {
        let overrides = HeraldConfiguration.environmentOverrides
        #expect(overrides.count == 5 + 4 + 4 + 9 + 5 + 2)
        #expect(overrides["HERALD_EDGE_PRESENCE_GRACE_MS"]! == ("edge", "presence_grace_ms"))
        #expect(
            overrides["HERALD_LIMITS_CONNECTION_ATTEMPTS_PER_IP_PER_MINUTE"]! == (
                "limits", "connection_attempts_per_ip_per_minute"
            ))
        #expect(
            overrides["HERALD_EDGE_MAX_PENDING_BYTES_PER_CONNECTION"]! == ("edge", "max_pending_bytes_per_connection"))
    }

    @Test func badValuesAreReportedUnderTheVariableName() {
        let found = problems(
            "limits: {client_events_per_minute: ten}\n",
            environment: [
                "HERALD_LIMITS_CLIENT_EVENTS_PER_MINUTE": "fifty",
                "HERALD_EDGE_LISTEN": "6001",
                "HERALD_ENGINE_TYPE": "redis",
            ])
        #expect(
            found == [
                "HERALD_EDGE_LISTEN: must be host:port, as in 127.0.0.1:6002 (got \"6001\")",
                "HERALD_LIMITS_CLIENT_EVENTS_PER_MINUTE: must be an integer >= 0 (got \"fifty\")",
                "engine.url: required when engine.type is redis (for example redis://127.0.0.1:6379)",
            ])
    }

    @Test func anEmptySecretFromTheEnvironmentIsNamedByItsVariable() {
        #expect(
            problems("", environment: ["HERALD_AUTH_JWT_SECRET": ""]).map { $0.prefix(24) } == [
                "HERALD_AUTH_JWT_SECRET: "
            ])
    }

    @Test func unknownAndListVariablesAreProblems() {
        let found = problems(
            "",
            environment: [
                "HERALD_LIMITS_CLIENT_EVENTS_PER_MINUTES": "5",
                "HERALD_EDGE_ALLOWED_ORIGINS": "*",
                "HERALD_APPS": "x",
                "HERALD_LOG_LEVEL": "debug",
                "HERALD_RUNTIME_DIR": "/run/herald",
                "HERALD_CONFIG": "/etc/herald/herald.yaml",
                "PATH": "/usr/bin",
            ])
        #expect(
            found == [
                "HERALD_APPS: apps is a list, which only the configuration file sets",
                "HERALD_EDGE_ALLOWED_ORIGINS: edge.allowed_origins is a list, which only the configuration file sets",
                "HERALD_LIMITS_CLIENT_EVENTS_PER_MINUTES: not a Herald setting (did you mean "
                    + "HERALD_LIMITS_CLIENT_EVENTS_PER_MINUTE?); HERALD_<SECTION>_<KEY> names a scalar key of the "
                    + "configuration file (see docs/configuration.md)",
            ])
    }

    @Test func overridesCreateMissingSections() throws {
        let c = try load(
            "edge:\n",
            environment: ["HERALD_EDGE_HEARTBEAT_INTERVAL_SECONDS": "40", "HERALD_INGRESS_LISTEN": "0.0.0.0:0"])
        #expect(c.edge.heartbeatIntervalSeconds == 40)
        #expect(c.ingress.listen == ListenAddress(host: "0.0.0.0", port: 0))
    }
}

@Suite struct CredentialTests {
    @Test func theJWTSecretCredentialSetsTheSecret() throws {
        let credentials = try TemporaryDirectory()
        try credentials.write("jwt_secret", "from-credential\n")
        let c = try load("auth: {jwt_secret: from-file}\n", credentials: credentials.path)
        #expect(c.auth.jwtSecret == "from-credential")
        let viaEnvironment = try load("", environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        #expect(viaEnvironment.auth.jwtSecret == "from-credential")
    }

    @Test func theEnvironmentBeatsTheCredential() throws {
        let credentials = try TemporaryDirectory()
        try credentials.write("jwt_secret", "from-credential\r\n")
        let c = try load("", environment: ["HERALD_AUTH_JWT_SECRET": "from-environment"], credentials: credentials.path)
        #expect(c.auth.jwtSecret == "from-environment")
    }

    @Test func anEmptyCredentialLeavesTheFilesSecret() throws {
        let credentials = try TemporaryDirectory()
        try credentials.write("jwt_secret", "\n")
        let c = try load("auth: {jwt_secret: from-file}\n", credentials: credentials.path)
        #expect(c.auth.jwtSecret == "from-file")
    }

    @Test func aDirectoryWithoutTheCredentialChangesNothing() throws {
        let credentials = try TemporaryDirectory()
        try credentials.write("other", "x")
        #expect(try load("", credentials: credentials.path).auth.jwtSecret == "change-me")
    }

    @Test func anEmptySecretFromTheEnvironmentIsStillAProblem() throws {
        let found = problems("", environment: ["HERALD_AUTH_JWT_SECRET": ""])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("HERALD_AUTH_JWT_SECRET") == true)
    }
}
