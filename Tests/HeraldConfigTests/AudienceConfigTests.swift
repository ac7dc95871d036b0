import HeraldConfig
import Testing

@Suite("events.audiences")
struct AudienceConfigTests {
    @Test func theDefaultIsTheSeedMatrix() throws {
        let c = try load("")
        #expect(c.events.audiences == AudienceRule.seed)
        #expect(c.events.audienceChannels == ["orders", "customers", "inventory", "payments", "system"])
        let shipped = try HeraldConfiguration.load(
            yaml: HeraldConfiguration.embeddedDefaultYAML, environment: [:], credentialsDirectory: nil)
        #expect(shipped.events.audiences == AudienceRule.seed)
        #expect(shipped.events.audienceChannels == AudienceRule.seedChannels)
    }

    @Test func everyKeyIsRead() throws {
        let c = try load(
            """
            events:
              audiences:
                - {pattern: "ticket:*", roles: [agent], owner_field: requesterId, owner_roles: [member]}
                - {pattern: "news:*"}
                - {pattern: "alert:*", roles: [], target_roles_field: to}
              audience_channels: ["support.*"]
            """)
        #expect(
            c.events.audiences == [
                AudienceRule("ticket:*", roles: ["agent"], ownerField: "requesterId", ownerRoles: ["member"]),
                AudienceRule("news:*", roles: nil),
                AudienceRule("alert:*", roles: [], targetRolesField: "to"),
            ])
        #expect(c.events.audienceChannels == ["support.*"])
    }

    @Test func mistakesNameTheirKeyPath() {
        #expect(
            problems("events: {audiences: [{roles: [admin]}, {pattern: x, owner_roles: [c]}, {pattern: y, role: [a]}]}")
                == [
                    "events.audiences[0].pattern: is required",
                    "events.audiences[1].owner_roles: needs owner_field, the data field naming the owner",
                    "events.audiences[2].role: unknown key (did you mean \"roles\"?)",
                ])
        #expect(
            problems("events: {audience_channels: [\"\"]}") == [
                "events.audience_channels[0]: must be a non-empty string (got \"\")"
            ])
    }
}
