import NIOCore
import Testing

@testable import HeraldEdge

@Suite struct ServerFrameTests {
    private func text(_ payload: [UInt8]) -> [UInt8] {
        Array(ServerFrame.text(allocator: ByteBufferAllocator()) { $0.writeBytes(payload) }.readableBytesView)
    }

    @Test func smallPayloadUsesASevenBitLength() {
        #expect(text(Array("hello".utf8)) == [0x81, 0x05] + Array("hello".utf8))
        #expect(text([]) == [0x81, 0x00])
        #expect(text(Array(repeating: 0x61, count: 125)) == [0x81, 125] + Array(repeating: 0x61, count: 125))
    }

    @Test func payloadsFrom126BytesUseASixteenBitLength() {
        let payload = Array(repeating: UInt8(ascii: "x"), count: 126)
        #expect(text(payload) == [0x81, 126, 0x00, 0x7E] + payload)
        let largest = Array(repeating: UInt8(ascii: "y"), count: 65_535)
        #expect(text(largest) == [0x81, 126, 0xFF, 0xFF] + largest)
    }

    @Test func payloadsFrom65536BytesUseASixtyFourBitLength() {
        let payload = Array(repeating: UInt8(ascii: "z"), count: 65_536)
        #expect(text(payload) == [0x81, 127, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00] + payload)
    }

    @Test func controlFramesAreUnmaskedAndFinal() {
        let allocator = ByteBufferAllocator()
        #expect(Array(ServerFrame.ping(allocator: allocator).readableBytesView) == [0x89, 0x00])
        #expect(
            Array(ServerFrame.pong(payload: ByteBuffer(string: "hi"), allocator: allocator).readableBytesView)
                == [0x8A, 0x02, UInt8(ascii: "h"), UInt8(ascii: "i")])
        #expect(
            Array(ServerFrame.close(code: 4001, reason: "bad", allocator: allocator).readableBytesView)
                == [0x88, 0x05, 0x0F, 0xA1] + Array("bad".utf8))
    }

    @Test func closeReasonsAreCutWithoutSplittingACharacter() {
        let reason = String(repeating: "a", count: 122) + "é"  // 124 bytes: é would straddle the 123-byte limit
        let frame = ServerFrame.close(code: 1000, reason: reason, allocator: ByteBufferAllocator())
        #expect(frame.readableBytes == 2 + 2 + 122)
        #expect(frame.getInteger(at: frame.readerIndex + 1, as: UInt8.self) == 124)
    }
}

@Suite struct ServerFramePayloadsTests {
    let allocator = ByteBufferAllocator()

    private func frame(_ text: String) -> ByteBuffer {
        ServerFrame.text(allocator: allocator) { $0.writeString(text) }
    }

    @Test func joinedFramesSliceBackIntoTheirPayloadsInOrder() {
        let texts = ["a", String(repeating: "b", count: 126), String(repeating: "c", count: 65_536), ""]
        let joined = ServerFrame.joined(texts.map(frame), allocator: allocator)
        #expect(joined.readableBytes == texts.map { frame($0).readableBytes }.reduce(0, +))
        #expect(ServerFrame.payloads(of: joined).map { String(buffer: $0) } == texts)
    }

    @Test func oneFrameIsOnePayloadAndATruncatedFrameIsLeftOut() {
        #expect(ServerFrame.joined([frame("solo")], allocator: allocator) == frame("solo"))
        #expect(ServerFrame.payloads(of: frame("solo")).map { String(buffer: $0) } == ["solo"])
        var cut = ServerFrame.joined([frame("whole"), frame("partial")], allocator: allocator)
        cut.moveWriterIndex(to: cut.writerIndex - 2)
        #expect(ServerFrame.payloads(of: cut).map { String(buffer: $0) } == ["whole"])
    }
}
