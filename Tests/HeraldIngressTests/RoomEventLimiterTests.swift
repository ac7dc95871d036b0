import HeraldModel
import NIOCore
import Testing

@testable import HeraldIngress

/// `limits.app_events_per_second_per_room` on a manual clock.
@Suite("RoomEventLimiter")
struct RoomEventLimiterTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    let room = RoomEventLimiter.Key(app: "lottery", room: "42")

    func refusal(_ limiter: inout RoomEventLimiter, _ key: RoomEventLimiter.Key, at now: NIODeadline) -> HeraldError? {
        do {
            try limiter.admit(key, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func aRoomTakesItsLimitEachSecondThenWaits() throws {
        var limiter = RoomEventLimiter(perSecondPerRoom: 10)
        for _ in 0..<10 { #expect(refusal(&limiter, room, at: start) == nil) }
        let refused = try #require(refusal(&limiter, room, at: start))
        #expect(refused.code == .rateLimitExceeded)
        #expect(refused.retryAfter == 1)
        #expect(refused.message.contains("limits.app_events_per_second_per_room"))
        // A tenth of a second refills one token.
        #expect(refusal(&limiter, room, at: start + .milliseconds(99)) != nil)
        #expect(refusal(&limiter, room, at: start + .milliseconds(100)) == nil)
        #expect(refusal(&limiter, room, at: start + .milliseconds(100)) != nil)
    }

    @Test func roomsAndAppsAreCountedApart() {
        var limiter = RoomEventLimiter(perSecondPerRoom: 1)
        #expect(refusal(&limiter, room, at: start) == nil)
        #expect(refusal(&limiter, room, at: start) != nil)
        #expect(refusal(&limiter, .init(app: "lottery", room: "43"), at: start) == nil)
        #expect(refusal(&limiter, .init(app: "quiz", room: "42"), at: start) == nil)
    }

    @Test func zeroIsUnlimited() {
        var limiter = RoomEventLimiter(perSecondPerRoom: 0)
        for _ in 0..<10_000 { #expect(refusal(&limiter, room, at: start) == nil) }
        #expect(limiter.count == 0)
    }

    @Test func aChangedLimitStartsOver() {
        var limiter = RoomEventLimiter(perSecondPerRoom: 1)
        #expect(refusal(&limiter, room, at: start) == nil)
        #expect(refusal(&limiter, room, at: start) != nil)
        limiter.change(perSecondPerRoom: 2)
        #expect(limiter.limit == 2)
        #expect(refusal(&limiter, room, at: start) == nil)
        #expect(refusal(&limiter, room, at: start) == nil)
        #expect(refusal(&limiter, room, at: start) != nil)
    }

    @Test func quietRoomsAreForgotten() {
        var limiter = RoomEventLimiter(perSecondPerRoom: 5, sweepInterval: 100)
        for index in 0..<100 { #expect(refusal(&limiter, .init(app: "a", room: "r\(index)"), at: start) == nil) }
        // The 100th admission swept, at a time when no bucket had refilled yet: all are kept.
        #expect(limiter.count == 100)
        // From a second later every one of them is full again; the next sweep forgets all but the room in use.
        let later = start + .seconds(1)
        for index in 0..<100 {
            #expect(refusal(&limiter, .init(app: "b", room: "s"), at: later + .milliseconds(Int64(index) * 200)) == nil)
        }
        #expect(limiter.count == 1)
    }
}
