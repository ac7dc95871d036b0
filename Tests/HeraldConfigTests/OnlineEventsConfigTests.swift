import HeraldConfig
import Testing

@Suite("events.online_events")
struct OnlineEventsConfigTests {
    @Test func theDefaultIsTheSeedsCustomerStatus() throws {
        #expect(try load("").events.onlineEvents == [.customers])
        let shipped = try HeraldConfiguration.load(
            yaml: HeraldConfiguration.embeddedDefaultYAML, environment: [:], credentialsDirectory: nil)
        #expect(shipped.events.onlineEvents == [.customers])
        #expect(try load("events: {online_events: []}").events.onlineEvents.isEmpty)
    }

    @Test func everyKeyIsRead() throws {
        let c = try load(
            """
            events:
              online_events:
                - {role: staff, channel: system, online: "staff:online", offline: "staff:offline", id_field: staffId}
            """)
        #expect(
            c.events.onlineEvents == [
                OnlineEventRule(
                    role: "staff", channel: "system", online: "staff:online", offline: "staff:offline",
                    idField: "staffId")
            ])
    }

    @Test func mistakesNameTheirKeyPath() {
        let found = problems(
            "events: {online_events: [{role: a, channel: \"b c\", online: \"x y\", offline: z}]}")
        #expect(found.contains("events.online_events[0].id_field: is required"))
        #expect(found.contains { $0.hasPrefix("events.online_events[0].online: \"x y\" is not a valid event name") })
        #expect(found.contains { $0.hasPrefix("events.online_events[0].channel: \"b c\" is not a valid channel name") })
    }
}
