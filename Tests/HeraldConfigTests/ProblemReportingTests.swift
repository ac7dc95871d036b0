import Testing

@testable import HeraldConfig

@Suite struct ProblemReportingTests {
    @Test func aBrokenFileReportsEveryProblemWithItsKeyPath() {
        let found = problems(
            """
            edgee: {listen: "0.0.0.0:6001"}
            ingress:
              listen: "127.0.0.1"
              max_body_bytes: -1
            auth: {jwt_secret: "", leeway_secs: 5}
            api_keys:
              - {key: "k1", scopes: [publish, admin]}
              - {key: "k1", scopes: [stats]}
            apps:
              - {id: "lottery", key: "lottery-key", secret: ""}
              - {id: "lottery", key: "other-key"}
            limits:
              client_events_per_minute: ten
              connections_per_user: 2.5
            batcher: [1, 2]
            engine: {type: redis}
            """)
        #expect(
            found == [
                "edgee: unknown key (did you mean \"edge\"?)",
                "ingress.listen: must be host:port, as in 127.0.0.1:6002 (got \"127.0.0.1\")",
                "ingress.max_body_bytes: must be an integer >= 1 (got \"-1\")",
                "auth.leeway_secs: unknown key (did you mean \"leeway_seconds\"?)",
                "api_keys[0].scopes[1]: must be one of publish, stats (got \"admin\")",
                "apps[0].secret: must not be empty",
                "apps[1].secret: is required",
                "limits.client_events_per_minute: must be an integer >= 0 (got \"ten\")",
                "limits.connections_per_user: must be an integer >= 0 (got \"2.5\")",
                "batcher: must be a mapping of medium_window_ms, low_window_ms, max_window_events, history_events, "
                    + "history_seconds, channel_history (got a list)",
                "api_keys[1].key: duplicate \"k1\", already used by api_keys[0].key",
                "apps[1].id: duplicate \"lottery\", already used by apps[0].id",
                "auth.jwt_secret: must not be empty unless auth.public_keys lists PEM files; set it in the file, in "
                    + "HERALD_AUTH_JWT_SECRET, or with LoadCredential=jwt_secret:/etc/herald/jwt_secret",
                "engine.url: required when engine.type is redis (for example redis://127.0.0.1:6379)",
            ])
    }

    @Test func problemsCarryTheirLine() throws {
        do {
            _ = try load(
                """
                edge:
                  listen: "0.0.0.0:6001"
                  heartbeat_interval_seconds: 0
                apps:
                  - {id: a, key: k, secret: s}
                  - {id: a, key: k2, secret: s}
                """)
            Issue.record("loading should fail")
        } catch {
            #expect(error.problems.map(\.line) == [3, 6])
            #expect(
                error.description.contains(
                    "edge.heartbeat_interval_seconds: must be an integer >= 1 (got \"0\") (line 3)"))
        }
    }

    @Test func unknownKeysSuggestTheNearestKnownOne() {
        #expect(
            problems("limits: {client_event_per_minute: 5}") == [
                "limits.client_event_per_minute: unknown key (did you mean \"client_events_per_minute\"?)"
            ])
        #expect(problems("engine: {kind: memory}") == ["engine.kind: unknown key (known keys: type, url)"])
        #expect(
            problems("apps:\n  - {id: a, key: k, secret: s, webhook: []}") == [
                "apps[0].webhook: unknown key (did you mean \"webhooks\"?)"
            ])
    }

    @Test func redisNeedsAURL() throws {
        #expect(
            problems("engine: {type: redis}") == [
                "engine.url: required when engine.type is redis (for example redis://127.0.0.1:6379)"
            ])
        #expect(
            problems("engine: {type: redis, url: \"http://x\"}") == [
                "engine.url: must be a redis://host:port or rediss://host:port URL (got \"http://x\")"
            ])
        #expect(problems("engine: {type: mysql}") == ["engine.type: must be one of memory, redis (got \"mysql\")"])
        #expect(try load("engine: {type: redis, url: \"rediss://cache:6380\"}").engine.url == "rediss://cache:6380")
        #expect(try load("engine: {url: \"redis://cache\"}").warnings.contains { $0.keyPath == "engine.url" })
    }

    @Test func syntaxErrorsNameTheirLine() throws {
        do {
            _ = try load("edge:\n  listen: [unclosed\nlimits: {}\n")
            Issue.record("loading should fail")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems[0].keyPath == "")
            #expect(error.problems[0].message.hasPrefix("not valid YAML: "))
            #expect(error.problems[0].line != nil)
        }
        #expect(problems("edge: {}\nedge: {}\n") == ["duplicate key \"edge\" in one mapping; keep one of each"])
    }

    @Test func listsAndEntriesAreChecked() {
        #expect(problems("api_keys:") == ["api_keys: must be a list (got null); write [] for none"])
        #expect(
            problems("api_keys: [{key: k, scopes: []}]") == [
                "api_keys[0].scopes: must list at least one of publish, stats"
            ])
        #expect(problems("api_keys: [{key: k}]") == ["api_keys[0].scopes: is required (publish, stats)"])
        #expect(
            problems("apps: [{id: \"a b\", key: k, secret: s, webhooks: [\"ftp://x\"]}]") == [
                "apps[0].id: must be letters, digits, \"_\" and \"-\" only (got \"a b\")",
                "apps[0].webhooks[0]: must be an http:// or https:// URL (got \"ftp://x\")",
            ])
        #expect(
            problems("apps: [{id: a, key: k, secret: s}, {id: b, key: k, secret: s}]") == [
                "apps[1].key: duplicate \"k\", already used by apps[0].key"
            ])
        #expect(
            problems("channels: {rules: [{pattern: \"a.{\", allow: []}, {pattern: \"b\", allow: [self]}]}") == [
                "channels.rules[0].pattern: must be channel name characters with \"*\" and {name} placeholders "
                    + "(got \"a.{\")",
                "channels.rules[0].allow: must list at least one role, or anyone, self, hook, token or required_role",
                "channels.rules[1].allow: \"self\" needs a placeholder such as {id} in the pattern",
            ])
        #expect(
            problems("events: {priorities: [{pattern: \"x.*\", priority: urgent}, {pattern: y}]}") == [
                "events.priorities[0].priority: must be one of high, medium, low (got \"urgent\")",
                "events.priorities[1].priority: is required (high, medium or low)",
            ])
        #expect(
            problems("auth: {roles: [a, b, a]}") == [
                "auth.roles[2]: \"a\" appears twice; a role has one place in the hierarchy"
            ])
        #expect(
            problems("auth: {jwt_secret: null, public_keys: [/nonexistent/herald.pem]}") == [
                "auth.public_keys[0]: no such file \"/nonexistent/herald.pem\"; give the path of a PEM public key"
            ])
        #expect(problems("[1, 2]").count == 1)
    }

    @Test func editDistance() {
        #expect(NameSuggestion.editDistance("edgee", "edge") == 1)
        #expect(NameSuggestion.editDistance("", "abc") == 3)
        #expect(NameSuggestion.editDistance("kitten", "sitting") == 3)
        #expect(NameSuggestion.closest(to: "xyz", in: ["edge", "ingress"]) == nil)
    }
}
