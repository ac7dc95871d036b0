import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldNativeProtocol

@Suite struct NativeProtocolTests {
    let native = NativeProtocol()

    /// The payload of a complete frame, checking its header on the way.
    private func payload(_ frame: ByteBuffer) -> String {
        var frame = frame
        #expect(frame.readInteger(as: UInt8.self) == 0x81)
        let length = Int(frame.readInteger(as: UInt8.self)!)
        if length == 126 {
            #expect(Int(frame.readInteger(as: UInt16.self)!) == frame.readableBytes)
        } else if length == 127 {
            #expect(Int(frame.readInteger(as: UInt64.self)!) == frame.readableBytes)
        } else {
            #expect(length == frame.readableBytes)
        }
        return String(buffer: frame)
    }

    private func event(data: String = #"{"a":1}"#) -> WireEvent {
        WireEvent(
            id: EventID(uncheckedRawValue: "evt_01J0000000000000000000000"), name: "forum.comment.created",
            channels: ["thread.456"], timestamp: "2025-07-17T10:30:00Z", priority: .medium,
            userID: ByteBuffer(string: "123"), data: ByteBuffer(string: data),
            metadata: ByteBuffer(string: #"{"version":"1.0"}"#), offset: 13, epoch: "e1f")
    }

    @Test func deliveryIsTheEnvelopeWithItsType() {
        let frame = native.deliveryFrame(for: event(), allocator: ByteBufferAllocator())
        #expect(
            payload(frame)
                == #"{"type":"event","id":"evt_01J0000000000000000000000","event":"forum.comment.created","#
                + #""channel":"thread.456","timestamp":"2025-07-17T10:30:00Z","user_id":123,"priority":"medium","#
                + #""data":{"a":1},"metadata":{"version":"1.0"},"offset":13,"epoch":"e1f"}"#)
    }

    @Test func aBatchIsOneFrameHoldingEachEventsEnvelopeInOrder() {
        var second = event(data: "[2]")
        second.id = EventID(uncheckedRawValue: "evt_2")
        second.priority = .low
        second.userID = nil
        second.metadata = nil
        second.offset = 14
        second.sequence = 301
        let encoder = NativeDeliveryEncoder()
        let frame = encoder.frames(for: [event(), second], allocator: ByteBufferAllocator())
        #expect(
            payload(frame)
                == #"{"type":"batch","events":[{"type":"event","id":"evt_01J0000000000000000000000","#
                + #""event":"forum.comment.created","channel":"thread.456","timestamp":"2025-07-17T10:30:00Z","#
                + #""user_id":123,"priority":"medium","data":{"a":1},"metadata":{"version":"1.0"},"offset":13,"#
                + #""epoch":"e1f"},{"type":"event","id":"evt_2","event":"forum.comment.created","#
                + #""channel":"thread.456","timestamp":"2025-07-17T10:30:00Z","priority":"low","data":[2],"#
                + #""offset":14,"epoch":"e1f"}]}"#)
        let alone = payload(encoder.frame(for: second, allocator: ByteBufferAllocator()))
        #expect(payload(frame).hasSuffix("," + alone + "]}"))
    }

    @Test func aLargeBatchGetsAnExtendedLength() {
        let big = "\"" + String(repeating: "x", count: 40_000) + "\""
        let frame = NativeDeliveryEncoder().frames(
            for: [event(data: big), event(data: big)], allocator: ByteBufferAllocator())
        #expect(frame.getInteger(at: frame.readerIndex + 1, as: UInt8.self) == 127)
        #expect(payload(frame).hasPrefix(#"{"type":"batch","events":[{"type":"event","#))
    }

    @Test func dataBytesAreCopiedVerbatim() {
        let data = "{ \"text\" : \"caf\\u00e9 \\\"quoted\\\"\",\n \"n\": [1, 2.50, -0e3], \"é\": null }"
        let frame = native.deliveryFrame(for: event(data: data), allocator: ByteBufferAllocator())
        let text = payload(frame)
        #expect(text.contains(#","data":"# + data + #","metadata":"#))
    }

    @Test func namesAndChannelsAreEscaped() {
        var weird = event()
        weird.name = "a\"b\\c"
        weird.channels = ["line\nbreak\u{01}"]
        weird.userID = nil
        weird.metadata = nil
        weird.offset = nil
        weird.epoch = nil
        weird.data = ByteBuffer()
        let text = payload(native.deliveryFrame(for: weird, allocator: ByteBufferAllocator()))
        #expect(
            text
                == #"{"type":"event","id":"evt_01J0000000000000000000000","event":"a\"b\\c","#
                + #""channel":"line\nbreak\u0001","timestamp":"2025-07-17T10:30:00Z","priority":"medium","data":null}"#)
    }

    @Test func largeDeliveriesGetExtendedLengths() {
        let big = "\"" + String(repeating: "x", count: 70_000) + "\""
        let frame = native.deliveryFrame(for: event(data: big), allocator: ByteBufferAllocator())
        #expect(frame.getInteger(at: frame.readerIndex + 1, as: UInt8.self) == 127)
        #expect(payload(frame).contains(big))
    }

    @Test func repliesRenderAsDocumented() {
        let allocator = ByteBufferAllocator()
        func render(_ reply: ClientReply) -> String { payload(native.frame(for: reply, allocator: allocator)) }
        #expect(
            render(.connected(connectionID: "c_1", userID: "42", channels: ["user.42", "private-user.42"]))
                == #"{"type":"connected","connection_id":"c_1","user_id":"42","channels":["user.42","private-user.42"]}"#
        )
        #expect(
            render(.ack(id: CommandID(json: "7"), result: .channel("news")))
                == #"{"type":"ack","id":7,"ok":true,"data":{"channel":"news"}}"#)
        let position = ChannelPosition(epoch: "e1f", offset: 13)
        #expect(
            render(
                .ack(id: CommandID(json: "8"), result: .subscribed(Subscription(channel: "news", position: position))))
                == #"{"type":"ack","id":8,"ok":true,"data":{"channel":"news","epoch":"e1f","offset":13}}"#)
        #expect(
            render(
                .ack(
                    id: CommandID(json: "9"),
                    result: .subscribed(Subscription(channel: "news", position: position, recovery: .recovered))))
                == #"{"type":"ack","id":9,"ok":true,"data":{"channel":"news","epoch":"e1f","offset":13,"recovered":true}}"#
        )
        #expect(
            render(
                .ack(
                    id: CommandID(json: "10"),
                    result: .subscribed(
                        Subscription(channel: "news", position: position, recovery: .refused(.positionExpired)))))
                == #"{"type":"ack","id":10,"ok":true,"data":{"channel":"news","epoch":"e1f","offset":13,"#
                + #""recovered":false,"reason":"position_expired"}}"#)
        #expect(
            render(.ack(id: CommandID(json: #""p1""#), result: .pong(milliseconds: 1_700_000_000_000)))
                == #"{"type":"ack","id":"p1","ok":true,"data":{"pong":1700000000000}}"#)
        #expect(
            render(.refused(id: CommandID(json: "3"), code: .permissionDenied, message: "Unauthorized"))
                == #"{"type":"ack","id":3,"ok":false,"error":{"code":"PERMISSION_DENIED","message":"Unauthorized"}}"#)
        #expect(
            render(.error(code: .invalidPayload, message: "say \"hi\""))
                == #"{"type":"error","error":{"code":"INVALID_PAYLOAD","message":"say \"hi\""}}"#)
    }

    private func command(_ text: String) -> ClientCommand {
        native.command(fromText: ByteBuffer(string: text))
    }

    @Test func commandsKeepTheirIDsExactly() {
        #expect(
            command(#"{"type":"subscribe","id":1,"channel":"news"}"#)
                == .subscribe(id: CommandID(json: "1"), channel: "news", recover: nil))
        #expect(
            command(#"{"id":"s-\"2\"","channel":"thread.9","type":"subscribe","extra":[1]}"#)
                == .subscribe(id: CommandID(json: #""s-\"2\"""#), channel: "thread.9", recover: nil))
        #expect(
            command(#"{"type":"subscribe","id":3,"channel":"news","recover":{"epoch":"e1","offset":12}}"#)
                == .subscribe(
                    id: CommandID(json: "3"), channel: "news", recover: ChannelPosition(epoch: "e1", offset: 12)))
        #expect(
            command(#"{"type":"unsubscribe","id":4,"channel":"news"}"#)
                == .unsubscribe(id: CommandID(json: "4"), channel: "news"))
        #expect(command(#"{"type":"ping","id":5}"#) == .ping(id: CommandID(json: "5")))
        #expect(command(#"{"type":"auth","token":"Bearer abc"}"#) == .authenticate(token: "Bearer abc"))
    }

    @Test func badCommandsSayWhatIsWrong() {
        #expect(
            command(#"{"type":"presence","id":6}"#)
                == .invalid(id: CommandID(json: "6"), message: #"presence needs a "channel" string"#))
        #expect(command(#"{"type":"wave","id":7}"#) == .unsupported(id: CommandID(json: "7"), type: "wave"))
        guard case .invalid = command(#"{"type":"publish","id":6,"channel":"a"}"#) else {
            Issue.record("a publish without event is invalid")
            return
        }
        guard case .invalid(let id, _) = command(#"{"type":"subscribe","id":7}"#) else {
            Issue.record("a subscribe without channel is invalid")
            return
        }
        #expect(id == CommandID(json: "7"))
        guard case .invalid = command(#"{"type":"subscribe","id":8,"channel":"a","recover":{"epoch":1}}"#) else {
            Issue.record("a malformed recover is invalid")
            return
        }
        for text in ["not json", "[1]", #"{"id":1}"#, #"{"type":"ping"}"#, #"{"type":"ping","id":{"a":1}}"#, ""] {
            guard case .malformed = command(text) else {
                Issue.record("\(text) should be malformed")
                continue
            }
        }
    }
}
