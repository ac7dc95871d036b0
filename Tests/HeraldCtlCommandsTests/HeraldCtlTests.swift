import ArgumentParser
import HeraldAdmin
import Testing

@testable import HeraldCtlCommands

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct HeraldCtlTests {
    @Test func ttlUnits() {
        #expect(TokenCommand.seconds("90s") == 90)
        #expect(TokenCommand.seconds("30m") == 1800)
        #expect(TokenCommand.seconds("1h") == 3600)
        #expect(TokenCommand.seconds("7d") == 604_800)
        #expect(TokenCommand.seconds("120") == 120)
        #expect(TokenCommand.seconds("0h") == nil)
        #expect(TokenCommand.seconds("soon") == nil)
    }

    @Test func stageSelectionNamesTheStagesThatExist() throws {
        #expect(try StageSelection.parse([]).stages().count == 4)
        #expect(try StageSelection.parse(["--stage", "ws-edge"]).stages().map(\.rawValue) == ["ws-edge"])
        #expect(throws: (any Error).self) { try StageSelection.parse(["--stage", "edge"]).stages() }
    }

    @Test func valuesPrintAsSortedJSONAndAsLines() {
        let value: AdminValue = ["b": 2, "a": ["c": "x y"], "d": .null]
        #expect(value.json == #"{"a":{"c":"x y"},"b":2,"d":null}"#)
        #expect(value.lines() == ["a:", "  c: x y", "b: 2", "d: -"])
    }

    @Test func tokenCommandParsesRepeatedRoles() throws {
        let command = try TokenCommand.parse(["--sub", "42", "--role", "admin", "--role", "moderator", "--ttl", "2h"])
        #expect(command.sub == "42")
        #expect(command.roles == ["admin", "moderator"])
        #expect(command.ttl == "2h")
    }
}

@Suite(.serialized) struct GlobalOptionsTests {
    @Test func aLeadingRuntimeDirectoryBecomesTheEnvironmentVariable() {
        #expect(HeraldCtl.applyGlobalOptions(["--runtime-dir", "/tmp/a", "status", "--json"]) == ["status", "--json"])
        #expect(String(cString: getenv("HERALD_RUNTIME_DIR")) == "/tmp/a")
        #expect(HeraldCtl.applyGlobalOptions(["--runtime-dir=/tmp/b", "stats"]) == ["stats"])
        #expect(String(cString: getenv("HERALD_RUNTIME_DIR")) == "/tmp/b")
        #expect(HeraldCtl.applyGlobalOptions(["status", "--runtime-dir", "/x"]) == ["status", "--runtime-dir", "/x"])
        unsetenv("HERALD_RUNTIME_DIR")
    }
}
