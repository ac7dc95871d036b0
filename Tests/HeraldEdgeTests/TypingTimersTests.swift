import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore
import Testing

/// The typing timers over a manual clock: milliseconds passed in.
@Suite struct TypingTimersTests {
    func stop(_ channel: String = "thread.1", typist: String = "42", socket: String = "1.2") -> TypingStop {
        TypingStop(
            key: TypingKey(channel: channel, typist: typist, prefix: "forum"),
            user: ByteBuffer(string: #"{"id":"\#(typist)","name":null}"#), userID: ByteBuffer(string: #""\#(typist)""#),
            socketID: socket, priority: .high)
    }

    @Test func anIndicatorComesDueOnceAtItsDeadline() {
        var timers = TypingTimers()
        #expect(timers.start(stop(), expiresAt: 5_000) == .started)
        #expect(timers.nextDeadline == 5_000)
        #expect(timers.due(now: 4_999).isEmpty)
        #expect(timers.due(now: 5_000).map(\.key) == [stop().key])
        #expect(timers.due(now: 9_000).isEmpty)
        #expect(timers.nextDeadline == nil)
    }

    @Test func aRenewalMovesTheDeadline() {
        var timers = TypingTimers()
        timers.start(stop(), expiresAt: 5_000)
        #expect(timers.renew(stop(socket: "1.3"), expiresAt: 8_000) == .renewed)
        #expect(timers.count == 1)
        #expect(timers.due(now: 5_000).isEmpty)
        let due = timers.due(now: 8_000)
        #expect(due.map(\.socketID) == ["1.3"])
    }

    @Test func aStopFromTheClientCancelsIt() {
        var timers = TypingTimers()
        timers.start(stop(), expiresAt: 5_000)
        timers.start(stop("thread.2"), expiresAt: 6_000)
        timers.apply(.stop(stop().key))
        #expect(timers.nextDeadline == 6_000)
        #expect(timers.due(now: 10_000).map(\.key.channel) == ["thread.2"])
    }

    @Test func typistsOnOneChannelAndOneTypistOnManyChannelsAreApart() {
        var timers = TypingTimers()
        timers.start(stop(typist: "1"), expiresAt: 3_000)
        timers.start(stop(typist: "2"), expiresAt: 1_000)
        timers.start(stop("thread.9", typist: "1"), expiresAt: 2_000)
        #expect(timers.count == 3)
        #expect(
            timers.due(now: 3_000).map(\.key) == [
                stop(typist: "2").key, stop("thread.9", typist: "1").key, stop(typist: "1").key,
            ])
    }

    @Test func pastItsCapacityANewTypistGetsNoTimerButARenewalStillMoves() {
        var timers = TypingTimers(capacity: 1)
        #expect(timers.start(stop(typist: "1"), expiresAt: 1_000) == .started)
        #expect(timers.start(stop(typist: "2"), expiresAt: 1_000) == .full)
        #expect(timers.start(stop(typist: "1"), expiresAt: 2_000) == .renewed)
        #expect(timers.due(now: 2_000).count == 1)
    }

    @Test func theStoppedEventCarriesTheUserToEveryoneButTheTypist() {
        let event = stop().event(id: EventID(uncheckedRawValue: "evt_1"), milliseconds: 1_752_748_200_000)
        #expect(event.name == "forum.typing.stopped")
        #expect(event.channels == ["thread.1"])
        #expect(String(buffer: event.data) == #"{"user":{"id":"42","name":null}}"#)
        #expect(event.audience.excludeSocketID == "1.2")
        #expect(event.userID.map { String(buffer: $0) } == #""42""#)
        #expect(event.timestamp == "2025-07-17T10:30:00Z")
        #expect(!event.isClientEvent)
    }
}
