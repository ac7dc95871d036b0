import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import HeraldBatcher
@testable import HeraldDaemonKit

/// The batcher between its windows and its engine, with a manual clock and an embedded loop: what reaches the
/// engine when, in which order, and when each event is settled upstream. `RecordingEngine` is a second engine
/// behind the same seam, holding each publication open until the test completes it.
@Suite struct BatcherPipelineTests {
    final class ManualClock: @unchecked Sendable {
        var now: Int64 = 1_000
    }

    /// An engine that remembers what it was asked to publish and lets the test decide when it is done.
    final class RecordingEngine: BatcherEngine {
        let loop: any EventLoop
        let fanOut = EdgeFanOut { EdgeOutbox(peer: $0, logger: Logger(label: "test")) }
        var published: [(channel: String, events: [WireEvent], done: EventLoopPromise<Void>)] = []
        var occupancyChanged: (([ChannelOccupancy.Change]) -> Void)?

        init(loop: any EventLoop) { self.loop = loop }

        func publish(_ events: [WireEvent], on channel: String) -> EventLoopFuture<Void> {
            let done = loop.makePromise(of: Void.self)
            published.append((channel, events, done))
            return done.futureResult
        }
        func edgeJoined(_ edge: StagePeer) { fanOut.join(edge) }
        func edgeLeft(_ edge: StagePeer) { fanOut.leave(edge) }
        func follow(_ change: StageRequests.InterestChange, from edge: StagePeer)
            -> EventLoopFuture<[String: ChannelPosition]>
        { loop.makeSucceededFuture([:]) }
        func recover(_ request: StageRequests.Recover) -> EventLoopFuture<ByteBuffer> {
            loop.makeSucceededFuture(ByteBuffer(string: #"{"channels":[],"events":[]}"#))
        }
        func saveSession(_ save: StageRequests.SessionSave) -> EventLoopFuture<Void> { loop.makeSucceededVoidFuture() }
        func loadSession(pid: String) -> EventLoopFuture<StageRequests.SessionRecord?> {
            loop.makeSucceededFuture(nil)
        }
        func send(_ message: WireMessage, to edge: StagePeer) { fanOut.send(message, to: edge) }
        func presenceJoin(_ seat: StageRequests.PresenceSeat, from edge: StagePeer)
            -> EventLoopFuture<[PresenceMember]>
        { loop.makeSucceededFuture([]) }
        func presenceEnter(_ seat: StageRequests.PresenceSeat, from edge: StagePeer) {}
        func presenceLeave(_ seat: StageRequests.PresenceSeat, from edge: StagePeer) {}
        func presenceRestate(_ seats: [StageRequests.PresenceSeat], from edge: StagePeer) -> EventLoopFuture<Void> {
            loop.makeSucceededVoidFuture()
        }
        func presenceMembers(of channel: String) -> EventLoopFuture<[PresenceMember]> { loop.makeSucceededFuture([]) }
        var presenceObserver: ([PresenceLedger.Change], Int64) -> Void = { _, _ in }
        var channelCount: Int { 0 }

        var names: [[String]] { published.map { $0.events.map(\.name) } }
    }

    struct Fixture {
        let loop = EmbeddedEventLoop()
        let clock = ManualClock()
        let channel: EmbeddedChannel
        let authorizer: StagePeer
        let service: BatcherService

        init(engine: (any EventLoop) -> any BatcherEngine) {
            channel = EmbeddedChannel(loop: loop)
            authorizer = StagePeer(
                connectionNumber: 1, hello: Hello(stage: "authorizer", instance: "a1"), channel: channel)
            let clock = self.clock
            service = BatcherService(
                loop: loop, logger: Logger(label: "test"), engine: engine(loop),
                windows: DeliveryWindows(
                    mediumWindowMilliseconds: 2000, lowWindowMilliseconds: 10_000, maxWindowEvents: 3,
                    coalescing: [CoalescingRule(event: "forum.thread.view_count_updated", key: "thread_id")]),
                clock: { clock.now })
            service.peerJoined(authorizer)
        }

        func send(_ event: WireEvent) {
            service.peer(authorizer, sent: .event(event))
            loop.run()
        }

        /// Moves both clocks: the windows' and the embedded loop's timers.
        func advance(milliseconds: Int64) {
            clock.now += milliseconds
            loop.advanceTime(by: .milliseconds(milliseconds))
        }

        /// The ids settled to the authorizer so far.
        func settled() throws -> [String] {
            var ids: [String] = []
            while var frame = try channel.readOutbound(as: ByteBuffer.self) {
                while let length = frame.readInteger(as: UInt32.self),
                    let payload = frame.readSlice(length: Int(length))
                {
                    if case .settled(let settled) = try WireMessage.decode(frame: payload) {
                        ids += settled.map(\.rawValue)
                    }
                }
            }
            return ids
        }
    }

    static func event(
        _ id: String, _ name: String, priority: Priority, channel: String = "thread.1", data: String = "{}",
        collapseKey: String? = nil
    ) -> WireEvent {
        WireEvent(
            id: EventID(uncheckedRawValue: id), name: name, channels: [channel], timestamp: "2025-07-17T10:30:00Z",
            priority: priority, collapseKey: collapseKey, data: ByteBuffer(string: data))
    }

    @Test func highGoesOutAtOnceAndMediumExactlyAtTheEndOfItsWindow() throws {
        let fixture = Fixture { RecordingEngine(loop: $0) }
        let engine = fixture.service.engine as! RecordingEngine
        fixture.send(Self.event("m1", "forum.comment.created", priority: .medium))
        fixture.send(Self.event("h1", "messaging.message.sent", priority: .high))
        #expect(engine.names == [["messaging.message.sent"]])
        fixture.advance(milliseconds: 1999)
        #expect(engine.published.count == 1)
        fixture.advance(milliseconds: 1)
        #expect(engine.names == [["messaging.message.sent"], ["forum.comment.created"]])
    }

    @Test func anEventIsSettledOnlyOnceTheEnginePublishedIt() throws {
        let fixture = Fixture { RecordingEngine(loop: $0) }
        let engine = fixture.service.engine as! RecordingEngine
        fixture.send(Self.event("m1", "forum.comment.created", priority: .medium))
        fixture.advance(milliseconds: 2000)
        #expect(try fixture.settled().isEmpty, "held and in flight: the authorizer keeps it for resending")
        engine.published[0].done.succeed()
        fixture.loop.run()
        #expect(try fixture.settled() == ["m1"])
    }

    @Test func aResentHeldEventIsNotSettledEarly() throws {
        let fixture = Fixture { RecordingEngine(loop: $0) }
        let engine = fixture.service.engine as! RecordingEngine
        fixture.send(Self.event("l1", "user.activity.feed_updated", priority: .low))
        fixture.send(Self.event("l1", "user.activity.feed_updated", priority: .low))
        #expect(try fixture.settled().isEmpty)
        fixture.advance(milliseconds: 10_000)
        #expect(engine.published.count == 1, "the resend is not published twice")
        engine.published[0].done.succeed()
        fixture.loop.run()
        #expect(try fixture.settled() == ["l1"])
    }

    @Test func aSupersededEventIsSettledWhenItsSuccessorIsTaken() throws {
        let fixture = Fixture { RecordingEngine(loop: $0) }
        let engine = fixture.service.engine as! RecordingEngine
        fixture.send(
            Self.event("v1", "forum.thread.view_count_updated", priority: .low, data: #"{"thread_id":1,"views":5}"#))
        fixture.send(
            Self.event("v2", "forum.thread.view_count_updated", priority: .low, data: #"{"thread_id":1,"views":6}"#))
        #expect(try fixture.settled() == ["v1"])
        fixture.advance(milliseconds: 10_000)
        #expect(engine.published.map { $0.events.map(\.id.rawValue) } == [["v2"]])
    }

    @Test func aFullWindowFlushesEarlyAndNeverDelaysHigh() throws {
        let fixture = Fixture { RecordingEngine(loop: $0) }
        let engine = fixture.service.engine as! RecordingEngine
        for n in 1...3 { fixture.send(Self.event("m\(n)", "forum.comment.created", priority: .medium)) }
        #expect(engine.published.map(\.events.count) == [3], "three is this window's bound")
        fixture.send(Self.event("h1", "messaging.message.sent", priority: .high))
        #expect(engine.published.map(\.events.count) == [3, 1])
    }

    @Test func aGracefulStopFlushesEveryWindow() throws {
        let fixture = Fixture { RecordingEngine(loop: $0) }
        let engine = fixture.service.engine as! RecordingEngine
        fixture.send(Self.event("m1", "forum.comment.created", priority: .medium))
        fixture.send(Self.event("l1", "user.activity.feed_updated", priority: .low, channel: "user.7"))
        let drained = fixture.service.drain()
        fixture.loop.run()
        #expect(Set(engine.published.map(\.channel)) == ["thread.1", "user.7"])
        let done = drained.assumeIsolated().map { true }.nonisolated()
        var finished: Bool? = nil
        done.assumeIsolated().whenSuccess { finished = $0 }
        #expect(finished == nil, "complete only once every flush was delivered")
        for publication in engine.published { publication.done.succeed() }
        fixture.loop.run()
        #expect(finished == true)
        #expect(Set(try fixture.settled()) == ["m1", "l1"])
    }

    @Test func offsetsFollowDeliveryOrderWhenHighOvertakesMedium() throws {
        let fixture = Fixture { loop in
            MemoryEngine(
                loop: loop, fanOut: EdgeFanOut { EdgeOutbox(peer: $0, logger: Logger(label: "test")) },
                historyEvents: 10, historySeconds: 60,
                epoch: "e1")
        }
        fixture.send(Self.event("m1", "forum.comment.created", priority: .medium))
        fixture.send(Self.event("h1", "messaging.message.sent", priority: .high))
        fixture.advance(milliseconds: 2000)
        let answer = try fixture.service.engine.recover(
            StageRequests.Recover(channels: [.init(channel: "thread.1", epoch: "e1", offset: 0)])
        ).wait()
        let replay = try RecoveryAnswer.decode(answer)
        #expect(replay.events.map(\.id.rawValue) == ["h1", "m1"])
        #expect(replay.events.map(\.offset) == [1, 2])
        #expect(replay.events.map(\.sequence) == [1, 2])
        #expect(try fixture.settled() == ["h1", "m1"])
    }
}
