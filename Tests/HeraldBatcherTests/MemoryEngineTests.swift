import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldBatcher

@Suite struct MemoryEngineTests {
    func append(_ engine: MemoryEngine, _ channel: String, _ text: String) -> ByteBuffer {
        engine.append(to: channel) { position in ByteBuffer(string: "\(text)@\(position.offset)") }
    }

    @Test func numbersEachChannelFromOne() {
        let engine = MemoryEngine(historyEvents: 10, historySeconds: 60, epoch: "e1")
        #expect(append(engine, "a", "x") == ByteBuffer(string: "x@1"))
        #expect(append(engine, "a", "y") == ByteBuffer(string: "y@2"))
        #expect(append(engine, "b", "z") == ByteBuffer(string: "z@1"))
        #expect(engine.position(of: "a") == ChannelPosition(epoch: "e1", offset: 2))
        #expect(engine.position(of: "unknown") == ChannelPosition(epoch: "e1", offset: 0))
    }

    @Test func replaysAfterAPositionInTheSameEpochAndEverythingAcrossEpochs() {
        let engine = MemoryEngine(historyEvents: 10, historySeconds: 60, epoch: "e1")
        for text in ["x", "y", "z"] { _ = append(engine, "a", text) }
        #expect(
            engine.frames(in: "a", after: ChannelPosition(epoch: "e1", offset: 1)).map { String(buffer: $0) } == [
                "y@2", "z@3",
            ])
        #expect(engine.frames(in: "a", after: ChannelPosition(epoch: "old", offset: 7)).count == 3)
        #expect(engine.frames(in: "a", after: nil).count == 3)
        #expect(engine.frames(in: "b", after: nil).isEmpty)
    }

    @Test func historyIsBoundedByCountAndAge() {
        var now: Int64 = 0
        let engine = MemoryEngine(historyEvents: 2, historySeconds: 10, epoch: "e1", warmUp: .zero, now: { now })
        for text in ["x", "y", "z"] { _ = append(engine, "a", text) }
        #expect(engine.frames(in: "a", after: nil).map { String(buffer: $0) } == ["y@2", "z@3"])
        now = 10_001
        #expect(engine.frames(in: "a", after: nil).isEmpty)
        #expect(engine.position(of: "a").offset == 3, "offsets keep counting after history expires")
    }

    @Test func epochsDifferBetweenEngines() {
        #expect(MemoryEngine.newEpoch() != MemoryEngine.newEpoch())
    }

    @Test func aNewEpochKeepsEverythingWhileItWarmsUp() {
        var now: Int64 = 0
        let engine = MemoryEngine(
            historyEvents: 2, historySeconds: 600, epoch: "e1", warmUp: .seconds(30), warmUpEvents: 5, now: { now })
        for n in 1...4 { _ = append(engine, "a", "e\(n)") }
        #expect(engine.frames(in: "a", after: ChannelPosition(epoch: "old", offset: 9)).count == 4)
        for n in 5...7 { _ = append(engine, "a", "e\(n)") }
        #expect(engine.frames(in: "a", after: nil).count == 5, "the warm-up has a ceiling too")
        now = 30_000
        _ = append(engine, "a", "e8")
        #expect(engine.frames(in: "a", after: nil).map { String(buffer: $0) } == ["e7@7", "e8@8"])
    }
}
