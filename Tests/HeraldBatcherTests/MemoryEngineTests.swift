import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import HeraldBatcher

@Suite struct MemoryEngineTests {
    final class ManualClock: @unchecked Sendable {
        var now: Int64 = 0
    }

    let loop = EmbeddedEventLoop()

    func engine(
        history: Int = 10, seconds: Int = 60, warmUp: Duration = .zero, warmUpEvents: Int = 0,
        clock: ManualClock = ManualClock()
    ) -> MemoryEngine {
        MemoryEngine(
            loop: loop, fanOut: EdgeFanOut { EdgeOutbox(peer: $0, logger: Logger(label: "test")) },
            historyEvents: history, historySeconds: seconds,
            epoch: "e1", warmUp: warmUp, warmUpEvents: warmUpEvents, now: { clock.now })
    }

    func event(_ id: String, channel: String = "a") -> WireEvent {
        WireEvent(
            id: EventID(uncheckedRawValue: id), name: "forum.comment.created", channels: [channel],
            timestamp: "2025-07-17T10:30:00Z", priority: .high, data: ByteBuffer(string: "{}"))
    }

    func recover(
        _ engine: MemoryEngine, _ channel: String, epoch: String = "e1", offset: Int64? = nil, sequence: Int64? = nil
    ) throws -> RecoveryAnswer {
        let request = StageRequests.Recover(
            channels: [.init(channel: channel, epoch: epoch, offset: offset, sequence: sequence)])
        return try RecoveryAnswer.decode(try engine.recover(request).wait())
    }

    @Test func numbersEachChannelFromOneAndTheEngineAcrossChannels() throws {
        let engine = engine()
        _ = engine.publish([event("x"), event("y")], on: "a")
        _ = engine.publish([event("z", channel: "b")], on: "b")
        let a = try recover(engine, "a", offset: 0)
        #expect(a.events.map(\.offset) == [1, 2])
        #expect(a.events.map(\.sequence) == [1, 2])
        #expect(a.channels == [RecoveryAnswer.Channel(channel: "a", position: ChannelPosition(epoch: "e1", offset: 2))])
        let b = try recover(engine, "b", offset: 0)
        #expect(b.events.map(\.offset) == [1])
        #expect(b.events.map(\.sequence) == [3])
        #expect(b.events.map(\.channels) == [["b"]])
        let quiet = try recover(engine, "quiet", offset: 0)
        #expect(quiet.channels.first?.position == ChannelPosition(epoch: "e1", offset: 0))
        #expect(quiet.channels.first?.recovered == true)
    }

    @Test func recoveryReplaysAfterTheOffsetOrTheSequence() throws {
        let engine = engine()
        for id in ["x", "y", "z"] { _ = engine.publish([event(id)], on: "a") }
        _ = engine.publish([event("w", channel: "b")], on: "b")
        #expect(try recover(engine, "a", offset: 1).events.map(\.id.rawValue) == ["y", "z"])
        #expect(try recover(engine, "a", offset: 3).events.isEmpty)
        #expect(try recover(engine, "a", sequence: 2).events.map(\.id.rawValue) == ["z"])
        #expect(try recover(engine, "b", sequence: 2).events.map(\.id.rawValue) == ["w"])
    }

    @Test func recoveryRefusesWithItsReason() throws {
        let clock = ManualClock()
        let engine = engine(history: 2, seconds: 10, clock: clock)
        for id in ["x", "y", "z"] { _ = engine.publish([event(id)], on: "a") }
        #expect(try recover(engine, "a", epoch: "old", offset: 3).channels.first?.refusal == .epochChanged)
        #expect(try recover(engine, "a", offset: 0).channels.first?.refusal == .positionExpired)
        #expect(try recover(engine, "a", offset: 1).events.map(\.id.rawValue) == ["y", "z"])
        #expect(try recover(engine, "a", offset: 4).channels.first?.refusal == .positionInvalid)
        #expect(try recover(engine, "a", sequence: 9).channels.first?.refusal == .positionInvalid)
        clock.now = 10_001
        let expired = try recover(engine, "a", offset: 2)
        #expect(expired.channels.first?.refusal == .positionExpired)
        #expect(expired.events.isEmpty, "a refused recovery replays nothing")
        #expect(try recover(engine, "a", offset: 3).channels.first?.recovered == true, "up to date: nothing missed")
    }

    @Test func aRecoveryOfSeveralChannelsComesInSequenceOrder() throws {
        let engine = engine()
        _ = engine.publish([event("a1")], on: "a")
        _ = engine.publish([event("b1", channel: "b")], on: "b")
        _ = engine.publish([event("a2")], on: "a")
        let request = StageRequests.Recover(channels: [
            .init(channel: "a", epoch: "e1", sequence: 0), .init(channel: "b", epoch: "e1", sequence: 0),
        ])
        let answer = try RecoveryAnswer.decode(try engine.recover(request).wait())
        #expect(answer.events.map(\.id.rawValue) == ["a1", "b1", "a2"])
    }

    @Test func eachChannelKeepsTheHistoryItsRuleGives() throws {
        let engine = MemoryEngine(
            loop: loop, fanOut: EdgeFanOut { EdgeOutbox(peer: $0, logger: Logger(label: "test")) },
            retention: { $0.hasPrefix("conversation.") ? (3, 60) : (1, 60) }, epoch: "e1", warmUp: .zero,
            warmUpEvents: 0, now: { 0 })
        for n in 1...4 {
            _ = engine.publish([event("c\(n)", channel: "conversation.1")], on: "conversation.1")
            _ = engine.publish([event("t\(n)", channel: "thread.1")], on: "thread.1")
        }
        #expect(try recover(engine, "conversation.1", offset: 1).events.map(\.id.rawValue) == ["c2", "c3", "c4"])
        #expect(try recover(engine, "thread.1", offset: 2).channels.first?.refusal == .positionExpired)
        #expect(try recover(engine, "thread.1", offset: 3).events.map(\.id.rawValue) == ["t4"])
    }

    @Test func epochsDifferBetweenEngines() {
        #expect(MemoryEngine.newEpoch() != MemoryEngine.newEpoch())
    }

    @Test func aNewEpochKeepsEverythingWhileItWarmsUp() throws {
        let clock = ManualClock()
        let engine = engine(history: 2, seconds: 600, warmUp: .seconds(30), warmUpEvents: 5, clock: clock)
        for n in 1...4 { _ = engine.publish([event("e\(n)")], on: "a") }
        #expect(try recover(engine, "a", offset: 0).events.count == 4)
        for n in 5...7 { _ = engine.publish([event("e\(n)")], on: "a") }
        #expect(try recover(engine, "a", offset: 2).events.count == 5, "the warm-up has a ceiling too")
        clock.now = 30_000
        _ = engine.publish([event("e8")], on: "a")
        #expect(try recover(engine, "a", offset: 6).events.map(\.id.rawValue) == ["e7", "e8"])
    }

    @Test func sessionsRememberWhereEachChannelWasJoined() throws {
        let clock = ManualClock()
        let engine = engine(seconds: 60, clock: clock)
        _ = engine.publish([event("x")], on: "a")
        _ = engine.saveSession(.init(pid: "p1", userID: "7", namespace: "/", channels: ["a"]))
        _ = engine.publish([event("y")], on: "a")
        _ = engine.saveSession(.init(pid: "p1", userID: "7", namespace: "/", channels: ["a", "b"]))
        let record = try #require(try engine.loadSession(pid: "p1").wait())
        #expect(record.userID == "7")
        #expect(record.channels["a"] == StageRequests.SessionJoin(epoch: "e1", sequence: 1))
        #expect(record.channels["b"] == StageRequests.SessionJoin(epoch: "e1", sequence: 2))
        clock.now = 86_400_001
        #expect(try engine.loadSession(pid: "p1").wait() == nil, "a day after its last save")
    }
}
