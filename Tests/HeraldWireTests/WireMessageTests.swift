import HeraldModel
import HeraldWire
import NIOCore
import Testing

@Suite("Wire messages")
struct WireMessageTests {
    private func roundTrip(_ message: WireMessage) throws -> WireMessage {
        var frame = ByteBuffer()
        frame.writeWireFrame(message)
        let length = frame.readInteger(as: UInt32.self).map(Int.init)
        #expect(length == frame.readableBytes)
        return try WireMessage.decode(frame: frame)
    }

    private func decode(_ text: String) throws -> WireMessage {
        try WireMessage.decode(frame: ByteBuffer(string: text))
    }

    private func eventJSON(_ fields: String) -> String {
        #"{"type":"event","event":{"id":"evt_1","event":"order:created","channels":["orders"],"#
            + #""timestamp":"2025-07-17T10:30:00Z","priority":"low","data":{}\#(fields)}}"#
    }

    @Test(arguments: Golden.all)
    func roundTrips(golden: Golden) throws {
        #expect(try roundTrip(golden.message) == golden.message)
    }

    @Test func manyFramesPackIntoOneBuffer() throws {
        var buffer = ByteBuffer()
        var total = 0
        for _ in 0..<3 {
            for golden in Golden.all { total += buffer.writeWireFrame(golden.message) }
        }
        #expect(total == buffer.readableBytes)
        let decoder = WireFrameDecoder()
        var decoded: [WireMessage] = []
        while let payload = try decoder.nextPayload(from: &buffer) {
            decoded.append(try WireMessage.decode(frame: payload))
        }
        #expect(buffer.readableBytes == 0)
        #expect(decoded == Array(repeating: Golden.all.map(\.message), count: 3).flatMap { $0 })
    }

    @Test func writesAfterExistingBytes() throws {
        var buffer = ByteBuffer(string: "prefix")
        buffer.writeWireFrame(.ack([EventID(uncheckedRawValue: "evt_A")]))
        let prefix = buffer.readString(length: 6)
        let length = buffer.readInteger(as: UInt32.self)
        #expect(prefix == "prefix")
        #expect(length == UInt32(buffer.readableBytes))
        #expect(String(buffer: buffer) == #"{"type":"ack","ids":["evt_A"]}"#)
    }

    @Test func minimalEventLeavesOptionalFieldsOut() throws {
        let event = WireEvent(
            id: EventID(uncheckedRawValue: "evt_1"), name: "order:created", channels: ["orders"],
            timestamp: "2025-07-17T10:30:00Z", priority: .low, data: ByteBuffer(string: "{}")
        )
        var frame = ByteBuffer()
        frame.writeWireFrame(.event(event))
        frame.moveReaderIndex(forwardBy: 4)
        #expect(String(buffer: frame) == eventJSON(""))
        #expect(try decode(eventJSON("")) == .event(event))
    }

    @Test func emptyRawBuffersStayValidJSON() throws {
        var event = Golden.lowStock
        event.data = ByteBuffer()
        event.metadata = ByteBuffer()
        event.userID = ByteBuffer()
        guard case .deliver(let decoded) = try roundTrip(.deliver(event)) else {
            Issue.record("expected deliver")
            return
        }
        #expect(String(buffer: decoded.data) == "null")
        #expect(decoded.metadata == nil)
        #expect(decoded.userID == nil)
        let request = try roundTrip(.request(Request(id: 1, method: "m", params: ByteBuffer())))
        #expect(request == .request(Request(id: 1, method: "m", params: ByteBuffer(string: "{}"))))
        let response = try roundTrip(.response(Response(id: 1, outcome: .success(ByteBuffer()))))
        #expect(response == .response(Response(id: 1, outcome: .success(ByteBuffer(string: "null")))))
    }

    @Test(arguments: [#"[1,"two",{"3":null}]"#, #""text""#, "-1.5e3", "true", "null", #"{"nested":{"deep":[[]]}}"#])
    func dataMayBeAnyJSONValue(data: String) throws {
        var event = Golden.commentCreated
        event.data = ByteBuffer(string: data)
        #expect(try roundTrip(.event(event)) == .event(event))
    }

    @Test func userIDMayBeAString() throws {
        var event = Golden.commentCreated
        event.userID = ByteBuffer(string: #""u-42""#)
        #expect(try roundTrip(.event(event)) == .event(event))
    }

    @Test func partialAudiencesRoundTrip() throws {
        for audience in [
            Audience(excludeSocketID: "c9"), Audience(userIDs: ["7", "8"]), Audience(roles: []),
            Audience(excludeUserIDs: ["1"], excludeSocketID: "s"), Audience(roles: [], owners: ["5"]),
            Audience(owners: ["5", "6"]),
        ] {
            var event = Golden.lowStock
            event.audience = audience
            #expect(try roundTrip(.deliver(event)) == .deliver(event))
        }
    }

    @Test func audienceUserIDsMayBeIntegers() throws {
        let message = try decode(eventJSON(#","audience":{"user_ids":[123,"456"],"exclude_user_ids":[7]}"#))
        guard case .event(let event) = message else {
            Issue.record("expected event")
            return
        }
        #expect(event.audience == Audience(userIDs: ["123", "456"], excludeUserIDs: ["7"]))
    }

    @Test func audienceOwnersMayBeIntegers() throws {
        let message = try decode(eventJSON(#","audience":{"roles":["admin"],"owners":[123,"u-9"]}"#))
        guard case .event(let event) = message else {
            Issue.record("expected event")
            return
        }
        #expect(event.audience == Audience(roles: ["admin"], owners: ["123", "u-9"]))
    }

    @Test func nullOptionalFieldsCountAsAbsent() throws {
        let message = try decode(
            eventJSON(
                #","user_id":null,"audience":null,"collapse_key":null,"metadata":null,"offset":null,"epoch":null"#)
        )
        #expect(message == (try decode(eventJSON(""))))
    }

    @Test func unicodeTextRoundTrips() throws {
        let text = "Cảm ơn bạn! Đơn hàng #1001 đã được xác nhận 🎉🚀 \"quoted\" \\ tab\t\u{1}"
        let messages: [WireMessage] = [
            .hello(Hello(stage: "ws-edge", instance: text)),
            .error(WireFailure(code: "INTERNAL", message: text)),
            .response(Response(id: 3, outcome: .failure(WireFailure(.permissionDenied, text)))),
            .request(Request(id: UInt64.max, method: text)),
        ]
        for message in messages { #expect(try roundTrip(message) == message) }
        var event = Golden.commentCreated
        event.collapseKey = text
        event.epoch = text
        event.timestamp = text
        event.audience = Audience(roles: [text], excludeSocketID: text)
        #expect(try roundTrip(.event(event)) == .event(event))
    }

    @Test func unknownFieldsAreIgnored() throws {
        let fixture = try Fixture.text("hello")
        let extended = fixture.dropLast() + #","features":{"compression":["zstd"]},"future":[1,2,3]}"#
        #expect(try decode(String(extended)) == Golden.all[0].message)
        let withExtraEventField = try decode(eventJSON(#","shard":{"id":3},"trace":"abc""#))
        #expect(withExtraEventField == (try decode(eventJSON(""))))
    }

    @Test func typeNeedNotComeFirst() throws {
        #expect(try decode(#"{"ids":["evt_A"],"type":"settled"}"#) == .settled([EventID(uncheckedRawValue: "evt_A")]))
    }

    @Test func unknownTypeIsInvalidPayloadNamingIt() throws {
        let error = try #require(throws: WireError.self) { try decode(#"{"type":"subscribe","channel":"x"}"#) }
        #expect(error == .unknownType("subscribe"))
        #expect(error.code == .invalidPayload)
        #expect(error.message.contains("\"subscribe\""))
        #expect(error.failure == WireFailure(code: "INVALID_PAYLOAD", message: error.message))
    }

    @Test func interestTravelsAsARequestNotAFrameType() throws {
        let error = try #require(throws: WireError.self) { try decode(#"{"type":"interest","add":[],"remove":[]}"#) }
        #expect(error == .unknownType("interest"))
        let known = "hello, event, ack, settled, request, response, error, deliver, batch"
        #expect(error.message.hasSuffix("expected one of \(known)"))
    }

    @Test(arguments: [
        (#"{"event":{}}"#, "type"),
        (#"{"type":1}"#, "type"),
        (#"{"type":"hello","stage":"ingress","instance":"i"}"#, "version"),
        (#"{"type":"hello","stage":"ingress","instance":"i","version":1.5}"#, "version"),
        (#"{"type":"hello","stage":7,"instance":"i","version":1}"#, "stage"),
        (#"{"type":"ack","ids":["evt_A","bad id"]}"#, "ids[1]"),
        (#"{"type":"ack","ids":"evt_A"}"#, "ids"),
        (#"{"type":"settled","ids":[1]}"#, "ids[0]"),
        (#"{"type":"request","id":-1,"method":"m","params":{}}"#, "id"),
        (#"{"type":"request","id":1,"method":"","params":{}}"#, "method"),
        (#"{"type":"request","id":1,"method":"m","params":[]}"#, "params"),
        (#"{"type":"response","id":1}"#, "result"),
        (#"{"type":"response","id":1,"result":{},"error":{"code":"X","message":"y"}}"#, "result"),
        (#"{"type":"response","id":1,"error":{"code":"X"}}"#, "error.message"),
        (#"{"type":"error","message":"m"}"#, "code"),
        (#"{"type":"event"}"#, "event"),
        (#"{"type":"deliver","event":[]}"#, "event"),
    ])
    func invalidFieldsAreNamed(text: String, field: String) throws {
        let error = try #require(throws: WireError.self) { try decode(text) }
        #expect(error == .invalidField(field, ""))
        #expect(error.message.hasPrefix("\(field): "))
    }

    @Test(arguments: [
        (#","id":"evt 1""#, "event.id"),
        (#","event":"no spaces allowed""#, "event.event"),
        (#","channels":["orders","thread 1"]"#, "event.channels[1]"),
        (#","channels":[]"#, "event.channels"),
        (#","priority":"urgent""#, "event.priority"),
        (#","user_id":{"id":1}"#, "event.user_id"),
        (#","audience":{"roles":"admin"}"#, "event.audience.roles"),
        (#","audience":{"user_ids":[true]}"#, "event.audience.user_ids[0]"),
        (#","metadata":"v1""#, "event.metadata"),
        (#","offset":1.5"#, "event.offset"),
        (#","collapse_key":1"#, "event.collapse_key"),
    ])
    func invalidEventFieldsAreNamed(override: String, field: String) throws {
        // Later duplicates do not override, so each case replaces the field in a fresh base event.
        let key = String(override.dropFirst(2).prefix { $0 != "\"" })
        var object = try JSONScanner.object(ByteBuffer(string: eventJSON(""))).members[1].value.object().members
            .filter { $0.key != key }.map { #""\#($0.key)":\#(String(buffer: $0.value.raw))"# }
        object.append(String(override.dropFirst()))
        let text = #"{"type":"event","event":{"# + object.joined(separator: ",") + "}}"
        let error = try #require(throws: WireError.self) { try decode(text) }
        #expect(error == .invalidField(field, ""), "\(text)")
    }

    @Test func missingEventFieldsAreNamed() throws {
        for key in ["id", "event", "channels", "timestamp", "priority", "data"] {
            let members = try JSONScanner.object(ByteBuffer(string: eventJSON(""))).members[1].value.object().members
                .filter { $0.key != key }.map { #""\#($0.key)":\#(String(buffer: $0.value.raw))"# }
            let text = #"{"type":"event","event":{"# + members.joined(separator: ",") + "}}"
            let error = try #require(throws: WireError.self) { try decode(text) }
            let expected = key == "channels" ? "event.channels" : "event.\(key)"
            #expect(error == .invalidField(expected, ""), "\(key)")
        }
    }

    @Test func typeNamesMatchTheWire() throws {
        for golden in Golden.all {
            let object = try JSONScanner.object(try Fixture.payload(golden.name))
            #expect(object.members.first?.key == "type")
            #expect(object["type"]?.value.string == golden.message.type)
        }
    }
}

@Suite struct BatchAndRecoveryTests {
    @Test func aBatchRoundTripsAndMustHoldEvents() throws {
        var frame = ByteBuffer()
        frame.writeWireFrame(.batch(Golden.viewCounts))
        frame.moveReaderIndex(forwardBy: 4)
        #expect(try WireMessage.decode(frame: frame) == .batch(Golden.viewCounts))
        let empty = try #require(throws: WireError.self) {
            try WireMessage.decode(frame: ByteBuffer(string: #"{"type":"batch","events":[]}"#))
        }
        #expect(empty.message.hasPrefix("events:"))
        let notEvents = try #require(throws: WireError.self) {
            try WireMessage.decode(frame: ByteBuffer(string: #"{"type":"batch","events":[1]}"#))
        }
        #expect(notEvents.message.hasPrefix("events[0]:"))
    }

    @Test func aRecoveryAnswerCarriesVerdictsAndTheEncodedEvents() throws {
        let objects = Golden.viewCounts.map { event in
            var object = ByteBuffer()
            object.writeWireEvent(event)
            return object
        }
        let channels = [
            RecoveryAnswer.Channel(channel: "thread.456", position: ChannelPosition(epoch: "e7", offset: 15)),
            RecoveryAnswer.Channel(
                channel: "thread.9", position: ChannelPosition(epoch: "e7", offset: 0), refusal: .epochChanged),
        ]
        var buffer = ByteBuffer()
        buffer.writeRecoveryAnswer(channels: channels, eventObjects: objects)
        #expect(String(buffer: buffer).contains(#""recovered":false,"reason":"epoch_changed""#))
        let answer = try RecoveryAnswer.decode(buffer)
        #expect(answer == RecoveryAnswer(channels: channels, events: Golden.viewCounts))
        #expect(answer.channels.map(\.recovered) == [true, false])
    }

    @Test func anUnknownRefusalIsNamed() throws {
        let text =
            #"{"channels":[{"channel":"a","epoch":"e","offset":1,"recovered":false,"reason":"gone"}],"#
            + #""events":[]}"#
        let error = try #require(throws: WireError.self) { try RecoveryAnswer.decode(ByteBuffer(string: text)) }
        #expect(error.message.hasPrefix("channels[0].reason:"))
    }
}
