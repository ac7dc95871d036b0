import HeraldModel
import HeraldWire
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@Suite("Framing")
struct WireFramingTests {
    private func lengthOnly(_ length: UInt32) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(length)
        return buffer
    }

    @Test func frameDecoderPassesTheVerifier() throws {
        let pairs = try Golden.all.map { golden in (try Fixture.frame(golden.name), [try Fixture.payload(golden.name)])
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { WireFrameDecoder() }
    }

    @Test func messageDecoderPassesTheVerifier() throws {
        let pairs = try Golden.all.map { golden in (try Fixture.frame(golden.name), [golden.message]) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { WireMessageDecoder() }
    }

    @Test func oversizeLengthIsRefusedAfterFourBytes() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(WireFrameDecoder()))
        let length = lengthOnly(2_097_153)
        let first = length.getSlice(at: 0, length: 3) ?? ByteBuffer()
        let partial = length.getSlice(at: 3, length: 1) ?? ByteBuffer()
        #expect(throws: Never.self) { try channel.writeInbound(first) }
        #expect(throws: WireError.frameTooLarge(2_097_153, 2_097_152)) { try channel.writeInbound(partial) }
        #expect(WireError.frameTooLarge(2_097_153, 2_097_152).code == .messageTooLarge)
        _ = try? channel.finish()
    }

    @Test func largestLengthIsWaitedFor() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(WireFrameDecoder()))
        try channel.writeInbound(lengthOnly(UInt32(WireProtocol.maximumFrameBytes)))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
    }

    @Test func frameOfExactlyTheLimitDecodes() throws {
        var payload = ByteBuffer(string: #"{"type":"error","code":"INTERNAL","message":""#)
        let padding = WireProtocol.maximumFrameBytes - payload.readableBytes - 2
        payload.writeRepeatingByte(UInt8(ascii: "x"), count: padding)
        payload.writeString(#""}"#)
        #expect(payload.readableBytes == WireProtocol.maximumFrameBytes)
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(WireMessageDecoder()))
        try channel.writeInbound(Fixture.frame(of: payload))
        let message = try #require(try channel.readInbound(as: WireMessage.self))
        #expect(message == .error(WireFailure(code: "INTERNAL", message: String(repeating: "x", count: padding))))
        #expect(try channel.finish().isClean)
    }

    @Test func zeroLengthIsRefused() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(WireFrameDecoder()))
        #expect(throws: WireError.emptyFrame()) { try channel.writeInbound(lengthOnly(0)) }
        _ = try? channel.finish()
    }

    @Test func customLimitApplies() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(WireMessageDecoder(maximumFrameBytes: 64)))
        #expect(throws: WireError.frameTooLarge(72, 64)) { try channel.writeInbound(try Fixture.frame("hello")) }
        _ = try? channel.finish()
    }

    @Test func malformedPayloadSurfacesAsWireError() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(WireMessageDecoder()))
        let error = try #require(throws: WireError.self) {
            try channel.writeInbound(Fixture.frame(of: ByteBuffer(string: "[1,2]")))
        }
        #expect(error.failure.code == "INVALID_PAYLOAD")
        _ = try? channel.finish()
    }

    @Test func messageEncoderWritesTheFixtureFrame() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(WireMessageEncoder()))
        for golden in Golden.all {
            try channel.writeOutbound(golden.message)
            #expect(try channel.readOutbound(as: ByteBuffer.self) == (try Fixture.frame(golden.name)))
        }
        #expect(try channel.finish().isClean)
    }

    @Test func messageEncoderRefusesOversizeMessages() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(WireMessageEncoder(maximumFrameBytes: 32)))
        #expect(throws: WireError.frameTooLarge(72, 32)) { try channel.writeOutbound(Golden.all[0].message) }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
    }

    @Test func outboundEncoderFramesMessagesAndPassesPreEncodedFramesThrough() throws {
        let channel = EmbeddedChannel(handler: WireOutboundEncoder())
        var batch = ByteBuffer()
        for golden in Golden.all { batch.writeWireFrame(golden.message) }
        try channel.writeOutbound(WireOutbound.frames(batch))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == batch)
        try channel.writeOutbound(WireOutbound.message(Golden.all[0].message))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == (try Fixture.frame("hello")))
        #expect(try channel.finish().isClean)
    }

    @Test func encoderOutputFeedsTheDecoder() throws {
        let sender = EmbeddedChannel(handler: WireOutboundEncoder())
        let receiver = EmbeddedChannel(handler: ByteToMessageHandler(WireMessageDecoder()))
        var batch = ByteBuffer()
        for golden in Golden.all.dropFirst() { batch.writeWireFrame(golden.message) }
        try sender.writeOutbound(WireOutbound.message(Golden.all[0].message))
        try sender.writeOutbound(WireOutbound.frames(batch))
        while let bytes = try sender.readOutbound(as: ByteBuffer.self) { try receiver.writeInbound(bytes) }
        var received: [WireMessage] = []
        while let message = try receiver.readInbound(as: WireMessage.self) { received.append(message) }
        #expect(received == Golden.all.map(\.message))
        #expect(try sender.finish().isClean)
        #expect(try receiver.finish().isClean)
    }
}
