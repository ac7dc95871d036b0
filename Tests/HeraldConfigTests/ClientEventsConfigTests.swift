import HeraldConfig
import Testing

@Suite struct ClientEventsConfigTests {
    @Test func theDefaultsAreTheFourShippedRules() throws {
        #expect(try load("").channels.clientEvents == ClientEventRule.defaults)
        #expect(
            ClientEventRule.defaults == [
                ClientEventRule(channel: "thread.*", events: ["forum.typing.*"]),
                ClientEventRule(channel: "conversation.*", events: ["messaging.typing.*"]),
                ClientEventRule(channel: "presence-*", events: ["client-*"]),
                ClientEventRule(channel: "private-*", events: ["client-*"]),
            ])
        #expect(try load(HeraldConfiguration.embeddedDefaultYAML).channels.clientEvents == ClientEventRule.defaults)
    }

    @Test func aListReplacesTheDefaults() throws {
        let configuration = try load("channels:\n  client_events:\n    - {channel: \"room.*\", events: [\"game:*\"]}\n")
        #expect(configuration.channels.clientEvents == [ClientEventRule(channel: "room.*", events: ["game:*"])])
        #expect(try load("channels: {client_events: []}").channels.clientEvents.isEmpty)
    }

    @Test func badRulesNameTheirKeyPath() {
        #expect(
            problems("channels: {client_events: [{channel: \"a b\", events: [x]}]}") == [
                "channels.client_events[0].channel: must be channel name characters with \"*\" wildcards (got \"a b\")"
            ])
        #expect(
            problems("channels: {client_events: [{channel: a, events: []}]}") == [
                "channels.client_events[0].events: must list at least one event name pattern, such as \"forum.typing.*\""
            ])
        #expect(
            problems("channels: {client_events: [{channel: a, events: [\"a b\"]}]}") == [
                "channels.client_events[0].events[0]: must be event name characters (A-Z a-z 0-9 _ . : -) with \"*\" "
                    + "wildcards (got \"a b\")"
            ])
        #expect(
            problems("channels: {client_events: [{channel: a, event: [x]}]}").first?.hasPrefix(
                "channels.client_events[0].event: unknown key") == true)
    }

    @Test func rpcDefaultsToNoCalls() throws {
        let app = try #require(try load("").apps.first)
        #expect(app.rpc == RPCConfig(url: nil, events: [], timeoutMilliseconds: 3000))
    }

    @Test func rpcReadsAndValidates() throws {
        let yaml =
            "apps: [{id: q, key: k, secret: s, rpc: {url: \"http://127.0.0.1:8000/rpc\", "
            + "events: [\"quiz:answer_submit\"], timeout_ms: 1500}}]"
        let app = try #require(try load(yaml).apps.first)
        #expect(
            app.rpc
                == RPCConfig(
                    url: "http://127.0.0.1:8000/rpc", events: ["quiz:answer_submit"], timeoutMilliseconds: 1500))
        #expect(AppConfig.rpcApp(for: "quiz:answer_submit", in: [app])?.id == "q")
        #expect(AppConfig.rpcApp(for: "other", in: [app]) == nil)
        #expect(
            problems("apps: [{id: q, key: k, secret: s, rpc: {events: [\"quiz:x\"]}}]") == [
                "apps[0].rpc.url: must be set when rpc.events lists calls: the backend URL that answers them"
            ])
        #expect(
            problems("apps: [{id: q, key: k, secret: s, rpc: {url: \"ftp://x\", events: [\"a b\"], timeout_ms: 0}}]")
                .sorted()
                == [
                    "apps[0].rpc.events[0]: must be an event name: 1-200 of A-Z a-z 0-9 _ . : - (got \"a b\")",
                    "apps[0].rpc.timeout_ms: must be an integer from 1 to 60000 (got \"0\")",
                    "apps[0].rpc.url: must be an http:// or https:// URL, or null for no calls (got \"ftp://x\")",
                ].sorted())
    }
}
