import Foundation
import HeraldModel
import Testing

@testable import HeraldConfig

@Suite struct DefaultConfigurationTests {
    @Test func embeddedDefaultIsTheShippedFile() throws {
        let file = try String(contentsOfFile: Repository.path("etc/herald/herald.yaml"), encoding: .utf8)
        #expect(HeraldConfiguration.embeddedDefaultYAML == file)
    }

    @Test func shippedFileLoadsWithoutProblemsAndEqualsTheCodeDefaults() throws {
        let loaded = try HeraldConfiguration.load(
            path: Repository.path("etc/herald/herald.yaml"), environment: [:], credentialsDirectory: nil)
        #expect(loaded == HeraldConfiguration())
        #expect(HeraldConfiguration.default == HeraldConfiguration())
    }

    @Test func emptyFileIsTheDefaults() throws {
        #expect(try load("") == HeraldConfiguration())
        #expect(try load("# only a comment\n") == HeraldConfiguration())
        #expect(try load("edge:\nlimits:\n") == HeraldConfiguration())
    }

    @Test func defaultsMatchTheDesign() {
        let c = HeraldConfiguration()
        #expect(c.edge.listen == ListenAddress(host: "0.0.0.0", port: 6001))
        #expect(c.edge.allowedOrigins == ["*"])
        #expect(c.edge.heartbeatIntervalSeconds == 25)
        #expect(c.edge.heartbeatTimeoutSeconds == 20)
        #expect(c.edge.maxPendingBytesPerConnection == 4 * 1024 * 1024)
        #expect(c.ingress.listen == ListenAddress(host: "127.0.0.1", port: 6002))
        #expect(c.ingress.maxBodyBytes == 1_048_576)
        #expect(c.ingress.resendBufferEvents == 10_000)
        #expect(c.ingress.acceptTimeoutSeconds == 10)
        #expect(c.auth.jwtSecret == "change-me")
        #expect(c.auth.issuer == nil && c.auth.audience == nil)
        #expect(c.auth.leewaySeconds == 30)
        #expect(c.auth.roles == ["guest", "member", "senior_member", "moderator", "admin", "super_admin"])
        #expect(c.apiKeys == [APIKey(key: "dev-api-key", scopes: [.publish, .stats])])
        #expect(
            c.apps == [
                AppConfig(
                    id: "lottery", key: "lottery-key", secret: "lottery-secret", permissions: ["realtime:publish"])
            ])
        #expect(c.channels.rules.isEmpty)
        #expect(c.priorityTable == PriorityTable.seed)
        #expect(c.events.coalescing == [CoalescingRule(event: "forum.thread.view_count_updated", key: "thread_id")])
        #expect(
            c.limits
                == LimitsConfig(
                    clientEventsPerMinute: 100, channelEventsPerMinute: 1000, globalEventsPerMinute: 10_000,
                    appEventsPerSecondPerRoom: 10, appEventsPerMinute: 600, connectionsPerUser: 5,
                    connectionsPerEdge: 10_000, connectionAttemptsPerIPPerMinute: 10, maxMessageBytes: 1_048_576))
        #expect(
            c.batcher
                == BatcherConfig(
                    mediumWindowMilliseconds: 2000, lowWindowMilliseconds: 10_000, maxWindowEvents: 1000,
                    historyEvents: 100, historySeconds: 600))
        #expect(c.engine == EngineConfig(type: .memory, url: nil))
    }

    @Test func developmentDefaultsAreWarningsNotErrors() {
        let paths = HeraldConfiguration.default.warnings.map(\.keyPath)
        #expect(paths == ["auth.jwt_secret", "api_keys[0].key", "apps[0].secret", "edge.allowed_origins"])
    }

    @Test func priorityTableFollowsTheConfiguredRules() throws {
        let c = try load(
            """
            events:
              priorities:
                - {pattern: "shop.*", priority: low}
            """)
        #expect(c.priorityTable.priority(for: "shop.order") == .low)
        #expect(c.priorityTable.priority(for: "messaging.sent") == .medium)
        #expect(HeraldConfiguration.default.priorityTable.priority(for: "messaging.sent") == .high)
    }

    /// Every overridable key names its variable in the shipped file and in the reference, so neither drifts.
    @Test func everyEnvironmentVariableIsDocumented() throws {
        let reference = try String(contentsOfFile: Repository.path("docs/configuration.md"), encoding: .utf8)
        for variable in HeraldConfiguration.environmentOverrides.keys.sorted() {
            #expect(HeraldConfiguration.embeddedDefaultYAML.contains(variable), "\(variable) in herald.yaml")
            #expect(reference.contains(variable), "\(variable) in docs/configuration.md")
        }
        for section in HeraldConfiguration.sectionNames {
            #expect(reference.contains("## `\(section)`"), "section \(section) in docs/configuration.md")
        }
        let entryKeys =
            APIKey.keys + AppConfig.keys + ChannelRule.keys + CoalescingRule.keys + EventsConfig.priorityKeys
            + AudienceRule.keys
        let sectionKeys = HeraldConfiguration.mappingSections.flatMap { $0.type.allKeys }
        for key in entryKeys + sectionKeys {
            #expect(reference.contains("| `\(key)` |"), "key \(key) in a table of docs/configuration.md")
        }
    }
}
