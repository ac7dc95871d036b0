import HeraldDaemonKit
import HeraldEdge
import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldPusher

/// The payload of a complete text frame, checking its header on the way.
func payload(_ frame: ByteBuffer) -> String {
    var frame = frame
    let first = frame.readInteger(as: UInt8.self)
    precondition(first == 0x81, "not a final text frame")
    let length = frame.readInteger(as: UInt8.self) ?? 0
    if length == 126 {
        _ = frame.readInteger(as: UInt16.self)
    } else if length == 127 {
        _ = frame.readInteger(as: UInt64.self)
    }
    return String(buffer: frame)
}

func text(_ action: ConnectionAction) -> String? {
    guard case .write(let frame) = action else { return nil }
    return payload(frame)
}

/// Frames byte for byte as the Pusher protocol documents them.
@Suite struct PusherFrameTests {
    let allocator = ByteBufferAllocator()

    @Test func connectionEstablishedCarriesItsDataAsAString() {
        #expect(
            payload(PusherFrame.connectionEstablished(socketID: "123.456", activityTimeout: 25, allocator: allocator))
                == #"{"event":"pusher:connection_established","data":"{\"socket_id\":\"123.456\",\"activity_timeout\":25}"}"#
        )
    }

    @Test func errorsPingsAndPongs() {
        #expect(
            payload(PusherFrame.error(code: 4001, message: "no app", allocator: allocator))
                == #"{"event":"pusher:error","data":{"code":4001,"message":"no app"}}"#)
        #expect(
            payload(PusherFrame.error(code: nil, message: "x", allocator: allocator))
                == #"{"event":"pusher:error","data":{"code":null,"message":"x"}}"#)
        #expect(payload(PusherFrame.ping(allocator: allocator)) == #"{"event":"pusher:ping","data":{}}"#)
        #expect(payload(PusherFrame.pong(allocator: allocator)) == #"{"event":"pusher:pong","data":{}}"#)
    }

    @Test func subscriptionAnswers() {
        #expect(
            payload(PusherFrame.subscriptionSucceeded(channel: "private-a", members: nil, allocator: allocator))
                == #"{"event":"pusher_internal:subscription_succeeded","channel":"private-a","data":"{}"}"#)
        let members = [
            PresenceMember(userID: "1", info: ByteBuffer(string: #"{"name":"Ann"}"#)), PresenceMember(userID: "2"),
        ]
        #expect(
            payload(PusherFrame.subscriptionSucceeded(channel: "presence-a", members: members, allocator: allocator))
                == #"{"event":"pusher_internal:subscription_succeeded","channel":"presence-a","data":"{\"presence\":{\"ids\":[\"1\",\"2\"],\"hash\":{\"1\":{\"name\":\"Ann\"},\"2\":null},\"count\":2}}"}"#
        )
        #expect(
            payload(
                PusherFrame.subscriptionError(channel: "private-a", status: 401, error: "bad", allocator: allocator))
                == #"{"event":"pusher:subscription_error","channel":"private-a","data":{"type":"AuthError","error":"bad","status":401}}"#
        )
    }

    @Test func memberEvents() {
        let added = PresenceChange.added(PresenceMember(userID: "7", info: ByteBuffer(string: "{}")))
        #expect(
            payload(PusherFrame.presence(channel: "presence-a", change: added, allocator: allocator))
                == #"{"event":"pusher_internal:member_added","channel":"presence-a","data":"{\"user_id\":\"7\",\"user_info\":{}}"}"#
        )
        #expect(
            payload(PusherFrame.presence(channel: "presence-a", change: .removed(userID: "7"), allocator: allocator))
                == #"{"event":"pusher_internal:member_removed","channel":"presence-a","data":"{\"user_id\":\"7\"}"}"#)
    }

    @Test func deliveriesSendDataAsAStringWhateverItWas() {
        let encoder = PusherDeliveryEncoder()
        var event = WireEvent(
            id: EventID(uncheckedRawValue: "evt_1"), name: "order.shipped", channels: ["private-orders"],
            timestamp: "2025-07-17T10:30:00Z", priority: .medium, data: ByteBuffer(string: #"{"id":1}"#))
        #expect(
            payload(encoder.frame(for: event, allocator: allocator))
                == #"{"event":"order.shipped","channel":"private-orders","data":"{\"id\":1}"}"#)
        event.data = ByteBuffer(string: #""already a string""#)
        event.userID = ByteBuffer(string: "42")
        #expect(
            payload(encoder.frame(for: event, allocator: allocator))
                == #"{"event":"order.shipped","channel":"private-orders","data":"already a string","user_id":"42"}"#)
        event.data = ByteBuffer()
        event.userID = ByteBuffer(string: #""u1""#)
        #expect(
            payload(encoder.frame(for: event, allocator: allocator))
                == #"{"event":"order.shipped","channel":"private-orders","data":"null","user_id":"u1"}"#)
    }
}

extension PusherFrameTests {
    @Test func aBatchIsEachEventsFrameOneAfterTheOtherInOneBuffer() {
        let encoder = PusherDeliveryEncoder()
        let events = (1...3).map { n in
            WireEvent(
                id: EventID(uncheckedRawValue: "evt_\(n)"), name: "order.updated", channels: ["private-orders"],
                timestamp: "2025-07-17T10:30:00Z", priority: .low, data: ByteBuffer(string: #"{"n":\#(n)}"#),
                offset: Int64(n), epoch: "e1", sequence: Int64(100 + n))
        }
        let batch = encoder.frames(for: events, allocator: allocator)
        let alone = events.map { encoder.frame(for: $0, allocator: allocator) }
        #expect(batch == ServerFrame.joined(alone, allocator: allocator))
        let frames = ServerFrame.payloads(of: batch).map { String(buffer: $0) }
        #expect(
            frames
                == (1...3).map { n in
                    #"{"event":"order.updated","channel":"private-orders","data":"{\"n\":\#(n)}"}"#
                })
    }
}

@Suite struct PusherClientMessageTests {
    private func read(_ text: String) -> PusherClientMessage { PusherClientMessage(text: ByteBuffer(string: text)) }

    @Test func readsTheProtocolsOwnEvents() {
        #expect(read(#"{"event":"pusher:ping","data":""}"#) == .ping)
        #expect(read(#"{"event":"pusher:ping","data":{}}"#) == .ping)
        #expect(read(#"{"event":"pusher:pong"}"#) == .pong)
        #expect(
            read(#"{"event":"pusher:subscribe","data":{"channel":"private-a","auth":"k:s"}}"#)
                == .subscribe(channel: "private-a", auth: "k:s", channelData: nil))
        #expect(
            read(#"{"event":"pusher:subscribe","data":"{\"channel\":\"news\"}"}"#)
                == .subscribe(channel: "news", auth: nil, channelData: nil))
        #expect(
            read(
                #"{"event":"pusher:subscribe","data":{"channel":"presence-a","auth":"k:s","channel_data":"{\"user_id\":1}"}}"#
            )
                == .subscribe(channel: "presence-a", auth: "k:s", channelData: #"{"user_id":1}"#))
        #expect(read(#"{"event":"pusher:unsubscribe","data":{"channel":"news"}}"#) == .unsubscribe(channel: "news"))
        #expect(
            read(#"{"event":"pusher:signin","data":{"auth":"k:s","user_data":"{\"id\":\"1\"}"}}"#)
                == .signIn(auth: "k:s", userData: #"{"id":"1"}"#))
        #expect(
            read(#"{"event":"client-typing","channel":"private-a","data":{"on":true}}"#)
                == .clientEvent(name: "client-typing", channel: "private-a", data: ByteBuffer(string: #"{"on":true}"#)))
    }

    @Test func refusesWhatIsNotAPusherMessage() {
        for text in [
            "", "[]", "{", #"{"data":{}}"#, #"{"event":1}"#, #"{"event":"pusher:subscribe","data":{}}"#,
            #"{"event":"pusher:subscribe","data":"not json"}"#, #"{"event":"client-x","data":{}}"#,
            #"{"event":"pusher:signin","data":{"auth":"k:s"}}"#,
        ] {
            guard case .malformed = read(text) else {
                Issue.record("\(text) was read as \(read(text))")
                continue
            }
        }
        #expect(read(#"{"event":"pusher:whatever"}"#) == .unknown(event: "pusher:whatever"))
    }
}
