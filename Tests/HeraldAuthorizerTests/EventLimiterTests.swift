import HeraldConfig
import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldAuthorizer

@Suite("Event limits with a manual clock")
struct EventLimiterTests {
    let start = NIODeadline.uptimeNanoseconds(5_000_000_000)
    let id = EventID(uncheckedRawValue: "evt_1")

    func limits(channel: Int = 0, global: Int = 0, client: Int = 0, app: Int = 0) -> LimitsConfig {
        LimitsConfig(
            clientEventsPerMinute: client, channelEventsPerMinute: channel, globalEventsPerMinute: global,
            appEventsPerMinute: app)
    }

    @Test func channelLimitRefusesWithTheWaitAndTheKeyName() throws {
        var limiter = EventLimiter(limits: limits(channel: 2))
        let publication = EventLimiter.Publication(channels: ["thread.1"])
        #expect(limiter.admit(publication, id: id, now: start) == nil)
        #expect(limiter.admit(publication, id: id, now: start) == nil)
        let third = limiter.admit(publication, id: id, now: start)
        let refusal = try #require(third)
        #expect(refusal.code == "RATE_LIMIT_EXCEEDED")
        #expect(refusal.retryAfter == 30)
        #expect(refusal.message.contains("limits.channel_events_per_minute"))
        #expect(refusal.message.hasSuffix("retry in 30 s"))
        #expect(limiter.admit(EventLimiter.Publication(channels: ["thread.2"]), id: id, now: start) == nil)
        #expect(limiter.admit(publication, id: id, now: start + .seconds(30)) == nil)
    }

    @Test func aRefusedEventTakesFromNoLimit() {
        var limiter = EventLimiter(limits: limits(channel: 1, global: 2))
        #expect(limiter.admit(.init(channels: ["a"]), id: id, now: start) == nil)
        #expect(limiter.admit(.init(channels: ["a"]), id: id, now: start) != nil)
        #expect(limiter.admit(.init(channels: ["b"]), id: id, now: start) == nil, "the refusal cost no global token")
        let refusal = limiter.admit(.init(channels: ["c"]), id: id, now: start)
        #expect(refusal?.message.contains("limits.global_events_per_minute") == true)
    }

    @Test func anEventOnTwoChannelsCountsOncePerChannel() {
        var limiter = EventLimiter(limits: limits(channel: 1))
        #expect(limiter.admit(.init(channels: ["a", "b", "a"]), id: id, now: start) == nil)
        #expect(limiter.admit(.init(channels: ["b"]), id: id, now: start) != nil)
    }

    @Test func clientEventsCountPerUserAcrossConnections() {
        var limiter = EventLimiter(limits: limits(client: 1))
        #expect(limiter.admit(.init(channels: ["a"], clientUser: "42"), id: id, now: start) == nil)
        let refusal = limiter.admit(.init(channels: ["b"], clientUser: "42"), id: id, now: start)
        #expect(refusal?.message.contains("limits.client_events_per_minute") == true)
        #expect(limiter.admit(.init(channels: ["a"], clientUser: "7"), id: id, now: start) == nil)
        #expect(limiter.admit(.init(channels: ["a"]), id: id, now: start) == nil, "server events are not client events")
    }

    @Test func appEventsCountPerApp() {
        var limiter = EventLimiter(limits: limits(app: 1))
        #expect(limiter.admit(.init(channels: ["a"], app: "lottery"), id: id, now: start) == nil)
        let refusal = limiter.admit(.init(channels: ["a"], app: "lottery"), id: id, now: start)
        #expect(refusal?.message.contains("limits.app_events_per_minute") == true)
        #expect(limiter.admit(.init(channels: ["a"], app: "other"), id: id, now: start) == nil)
    }

    @Test func zeroIsUnlimitedAndAReloadStartsOver() {
        var limiter = EventLimiter(limits: limits())
        for _ in 0..<5_000 { #expect(limiter.admit(.init(channels: ["a"]), id: id, now: start) == nil) }
        limiter.change(limits: limits(channel: 1))
        #expect(limiter.admit(.init(channels: ["a"]), id: id, now: start) == nil)
        #expect(limiter.admit(.init(channels: ["a"]), id: id, now: start) != nil)
    }

    @Test func clientUserComesFromTheEventsUserIDOnlyForEdgeEvents() {
        var event = WireEvent(
            id: id, name: "client-typing", channels: ["private-a"], timestamp: "2025-07-17T10:30:00Z",
            priority: .high, userID: ByteBuffer(string: #""42""#), appID: "lottery", isClientEvent: true,
            data: ByteBuffer(string: "{}"))
        #expect(EventLimiter.Publication(event, fromEdge: true).clientUser == "42")
        #expect(EventLimiter.Publication(event, fromEdge: false).clientUser == nil)
        #expect(EventLimiter.Publication(event, fromEdge: false).app == "lottery")
        event.userID = ByteBuffer(string: "42")
        #expect(EventLimiter.Publication(event, fromEdge: true).clientUser == "42")
        // The edge's own events (an expired typing indicator's stop) are not the user's.
        event.isClientEvent = false
        #expect(EventLimiter.Publication(event, fromEdge: true).clientUser == nil)
    }
}
