import HeraldModel
import Testing

@testable import HeraldConfig

/// The keys docs/configuration.md fixes, written the way users' scripts write them, read back into typed values.
@Suite struct FixedKeysTests {
    @Test func everyFixedKeyRoundTrips() throws {
        let c = try load(
            """
            ingress: {listen: "127.0.0.1:7002"}
            edge:    {listen: "[::]:7001", allowed_origins: ["https://forum.example.com", "https://*.shop.example"]}
            auth:    {jwt_secret: "a-long-production-secret-of-32-bytes!", issuer: "mechamap", audience: "herald"}
            api_keys:
              - {key: "publisher-key", scopes: ["publish"]}
              - {key: "stats-key", scopes: ["stats"]}
            apps:
              - {id: "lottery", key: "lk", secret: "ls", permissions: ["realtime:publish"]}
              - {id: "shop", key: "sk", secret: "ss", permissions: [], webhooks: ["https://shop.example/hooks"]}
            engine:  {type: redis, url: "redis://10.0.0.5:6379/2"}
            limits:
              client_events_per_minute: 1
              channel_events_per_minute: 2
              global_events_per_minute: 3
              app_events_per_second_per_room: 4
              app_events_per_minute: 5
              connections_per_user: 6
              connections_per_edge: 7
              connection_attempts_per_ip_per_minute: 8
              max_message_bytes: 0
            """)
        #expect(c.ingress.listen == ListenAddress(host: "127.0.0.1", port: 7002))
        #expect(c.edge.listen == ListenAddress(host: "::", port: 7001))
        #expect(c.edge.allowedOrigins == ["https://forum.example.com", "https://*.shop.example"])
        #expect(c.auth.jwtSecret == "a-long-production-secret-of-32-bytes!")
        #expect(c.auth.issuer == "mechamap")
        #expect(c.auth.audience == "herald")
        #expect(
            c.apiKeys == [APIKey(key: "publisher-key", scopes: [.publish]), APIKey(key: "stats-key", scopes: [.stats])])
        #expect(c.apiKey("publisher-key")?.allows(.stats) == false)
        #expect(c.apps.map(\.id) == ["lottery", "shop"])
        #expect(c.app(id: "lottery")?.has(permission: AppConfig.publishPermission) == true)
        #expect(c.app(key: "sk")?.webhooks == ["https://shop.example/hooks"])
        #expect(c.engine == EngineConfig(type: .redis, url: "redis://10.0.0.5:6379/2"))
        #expect(
            c.limits
                == LimitsConfig(
                    clientEventsPerMinute: 1, channelEventsPerMinute: 2, globalEventsPerMinute: 3,
                    appEventsPerSecondPerRoom: 4, appEventsPerMinute: 5, connectionsPerUser: 6, connectionsPerEdge: 7,
                    connectionAttemptsPerIPPerMinute: 8, maxMessageBytes: 0))
        #expect(c.warnings.isEmpty)
    }

    @Test func theOtherSectionsRoundTrip() throws {
        let c = try load(
            """
            edge:
              heartbeat_interval_seconds: 30
              heartbeat_timeout_seconds: 15
              max_pending_bytes_per_connection: 1_000
            ingress: {max_body_bytes: 2048, resend_buffer_events: 5, accept_timeout_seconds: 3}
            auth:
              jwt_secret: null
              leeway_seconds: 0
              public_keys: ["/dev/null"]
              roles: [customer, staff, manager, admin]
            channels:
              rules:
                - {pattern: "team.{id}", allow: [self, admin]}
                - {pattern: "lobby.*", allow: [anyone]}
            events:
              priorities: [{pattern: "order:*", priority: high}]
              coalescing: [{event: "product:stock_*", key: "productId"}]
            batcher:
              medium_window_ms: 500
              low_window_ms: 5000
              max_window_events: 10
              history_events: 0
              history_seconds: 60
            """)
        #expect(c.edge.heartbeatInterval == .seconds(30))
        #expect(c.edge.heartbeatTimeout == .seconds(15))
        #expect(c.edge.maxPendingBytesPerConnection == 1000)
        #expect(c.ingress == IngressConfig(maxBodyBytes: 2048, resendBufferEvents: 5, acceptTimeoutSeconds: 3))
        #expect(c.auth.jwtSecret == nil)
        #expect(c.auth.leewaySeconds == 0)
        #expect(c.auth.publicKeys == ["/dev/null"])
        #expect(c.auth.rank(of: "manager") == 2)
        #expect(c.auth.rank(of: "seller") == nil)
        #expect(
            c.channels.rules == [
                ChannelRule(pattern: "team.{id}", allow: ["self", "admin"]),
                ChannelRule(pattern: "lobby.*", allow: ["anyone"]),
            ])
        #expect(c.channels.rules[0].specials == [.`self`])
        #expect(c.channels.rules[0].roles == ["admin"])
        #expect(c.events.priorities == [PriorityTable.Rule("order:*", .high)])
        #expect(c.events.coalescing[0].pattern.matches("product:stock_changed"))
        #expect(
            c.batcher
                == BatcherConfig(
                    mediumWindowMilliseconds: 500, lowWindowMilliseconds: 5000, maxWindowEvents: 10, historyEvents: 0,
                    historySeconds: 60))
        #expect(c.batcher.mediumWindow == .milliseconds(500))
    }

    @Test func emptyListsMeanNone() throws {
        let c = try load("api_keys: []\napps: []\nedge: {allowed_origins: []}\n")
        #expect(c.apiKeys.isEmpty)
        #expect(c.apps.isEmpty)
        #expect(c.edge.allowedOrigins.isEmpty)
    }

    @Test func relativePublicKeyPathsAreResolvedAgainstTheFile() throws {
        let directory = try TemporaryDirectory()
        try directory.write("keys/jwt.pem", "-----BEGIN PUBLIC KEY-----\n")
        try directory.write("herald.yaml", "auth: {jwt_secret: null, public_keys: [keys/jwt.pem]}\n")
        let c = try HeraldConfiguration.load(
            path: directory.path + "/herald.yaml", environment: [:], credentialsDirectory: nil)
        #expect(c.auth.publicKeys == [directory.path + "/keys/jwt.pem"])
    }
}
