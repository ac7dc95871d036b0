import HeraldModel
import HeraldSocketIO
import HeraldWire
import NIOCore
import Testing

/// One encoder case: the exact text it must write, as docs/socketio.md quotes it.
struct EncoderGolden: Sendable, CustomTestStringConvertible {
    let text: String
    let write: @Sendable (inout ByteBuffer) -> Void

    var testDescription: String { text }

    static func namespace(_ path: String) -> SocketNamespace { SocketNamespace(path)! }

    static func ack(_ id: UInt64) -> SocketAckID { SocketAckID(id)! }

    static let all: [EncoderGolden] = [
        EncoderGolden(
            text:
                #"0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"#
                + #""maxPayload":1000000}"#
        ) {
            $0.writeEngineOpenPacket(
                EngineHandshake(
                    sid: "lv_VI97HAXpY6yYWAAAC", upgrades: ["websocket"], pingInterval: .seconds(25),
                    pingTimeout: .seconds(20), maxPayload: 1_000_000))
        },
        EncoderGolden(text: "3probe") { $0.writeEnginePacket(EnginePacket(.pong, data: ByteBuffer(string: "probe"))) },
        EncoderGolden(text: "2") { $0.writeEnginePacket(EnginePacket(.ping)) },
        EncoderGolden(text: "6") { $0.writeEnginePacket(EnginePacket(.noop)) },
        EncoderGolden(text: #"40{"sid":"wZX3oN0bSVIhsaknAAAI"}"#) {
            $0.writeSocketConnect(sid: "wZX3oN0bSVIhsaknAAAI")
        },
        EncoderGolden(text: #"40/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}"#) {
            $0.writeSocketConnect(sid: "oSO0OpakMV_3jnilAAAA", namespace: namespace("/admin"))
        },
        EncoderGolden(text: #"40/rooms/x,{"sid":"iLnRaVGHY4B75TeVAAAB","pid":"bPGkXzs3xbEIFiBxAAAB"}"#) {
            $0.writeSocketConnect(
                sid: "iLnRaVGHY4B75TeVAAAB", namespace: namespace("/rooms/x"), pid: "bPGkXzs3xbEIFiBxAAAB")
        },
        EncoderGolden(text: #"44{"message":"Not authorized"}"#) {
            $0.writeSocketConnectError(message: "Not authorized")
        },
        EncoderGolden(text: #"44/random,{"message":"Invalid namespace"}"#) {
            $0.writeSocketConnectError(message: "Invalid namespace", namespace: namespace("/random"))
        },
        EncoderGolden(text: #"44/rooms/x,{"message":"Token expired","data":{"code":"TOKEN_EXPIRED"}}"#) {
            $0.writeSocketConnectError(
                message: "Token expired", data: ByteBuffer(string: #"{"code":"TOKEN_EXPIRED"}"#),
                namespace: namespace("/rooms/x"))
        },
        EncoderGolden(text: #"42["hey","Jude"]"#) {
            $0.writeSocketEvent(name: "hey", arguments: [ByteBuffer(string: #""Jude""#)])
        },
        EncoderGolden(text: #"42/admin,["bar"]"#) { $0.writeSocketEvent(name: "bar", namespace: namespace("/admin")) },
        EncoderGolden(text: #"42/admin,13["foo"]"#) {
            $0.writeSocketEvent(name: "foo", namespace: namespace("/admin"), ackID: ack(13))
        },
        EncoderGolden(text: #"42["message-back",1,"2",{"3":[true]}]"#) {
            $0.writeSocketEvent(
                name: "message-back",
                arguments: [ByteBuffer(string: "1"), ByteBuffer(string: #""2""#), ByteBuffer(string: #"{"3":[true]}"#)])
        },
        EncoderGolden(text: #"43456[1,"2",{"3":[false]}]"#) {
            $0.writeSocketAck(
                ackID: ack(456),
                arguments: [
                    ByteBuffer(string: "1"), ByteBuffer(string: #""2""#), ByteBuffer(string: #"{"3":[false]}"#),
                ])
        },
        EncoderGolden(text: "4312[]") { $0.writeSocketAck(ackID: ack(12)) },
        EncoderGolden(text: #"43/admin,13["bar"]"#) {
            $0.writeSocketAck(
                ackID: ack(13), arguments: [ByteBuffer(string: #""bar""#)], namespace: namespace("/admin"))
        },
        EncoderGolden(text: "41") { $0.writeSocketDisconnect() },
        EncoderGolden(text: "41/admin,") { $0.writeSocketDisconnect(namespace: namespace("/admin")) },
        EncoderGolden(
            text: #"42["inventory:low_stock",{"sku":"TSHIRT-M","warehouse":"Hà Nội","quantity":3},"#
                + #"{"id":"evt_01J2ZK9A1B2C3D4E5F6G7H8J9K","channel":"inventory","timestamp":"2025-07-17T10:31:05Z","#
                + #""priority":"high","offset":42}]"#
        ) { $0.writeSocketDelivery(lowStock) },
        EncoderGolden(
            text: #"42/rooms/r1,["chat.message",null,{"id":"evt_01J2ZKC0MM3NT","channel":"room.r1","#
                + #""timestamp":"2025-07-17T10:32:00Z","priority":"medium","user_id":"u-42"}]"#
        ) { $0.writeSocketDelivery(chatMessage, namespace: namespace("/rooms/r1")) },
    ]

    /// A batcher delivery on one channel with its offset.
    static let lowStock = WireEvent(
        id: EventID(uncheckedRawValue: "evt_01J2ZK9A1B2C3D4E5F6G7H8J9K"),
        name: "inventory:low_stock",
        channels: ["inventory"],
        timestamp: "2025-07-17T10:31:05Z",
        priority: .high,
        audience: Audience(roles: ["admin"]),
        data: ByteBuffer(string: #"{"sku":"TSHIRT-M","warehouse":"Hà Nội","quantity":3}"#),
        offset: 42,
        epoch: "e7"
    )

    /// No data (sent as `null`), a user id, no offset.
    static let chatMessage = WireEvent(
        id: EventID(uncheckedRawValue: "evt_01J2ZKC0MM3NT"),
        name: "chat.message",
        channels: ["room.r1"],
        timestamp: "2025-07-17T10:32:00Z",
        priority: .medium,
        userID: ByteBuffer(string: #""u-42""#),
        data: ByteBuffer()
    )
}

/// One malformed packet and the error it must decode to.
struct MalformedGolden: Sendable, CustomTestStringConvertible {
    let text: String
    let error: SocketIOError

    var testDescription: String { text.isEmpty ? "(empty)" : text }

    init(_ text: String, _ error: SocketIOError) {
        self.text = text
        self.error = error
    }

    static let all: [MalformedGolden] = [
        MalformedGolden("", .emptyPacket()),
        MalformedGolden("999", .unknownPacketType(UInt8(ascii: "9"))),
        MalformedGolden("abc", .unknownPacketType(UInt8(ascii: "a"))),
        MalformedGolden("7", .unknownPacketType(UInt8(ascii: "7"))),
        MalformedGolden(#"2["ev""#, .malformedPayload("")),
        MalformedGolden(#"2["some","data""#, .malformedPayload("")),
        MalformedGolden(#"2/admin,"invalid"#, .malformedPayload("")),
        MalformedGolden(#"2abc["message-with-ack",1,"2",{"3":[false]}]"#, .malformedPayload("")),
        MalformedGolden(#"2["a"]x"#, .malformedPayload("")),
        MalformedGolden(
            "2" + String(repeating: "[", count: 100) + #""a""# + String(repeating: "]", count: 100),
            .malformedPayload("")),
        MalformedGolden("2/woops", .missingPayload(.event)),
        MalformedGolden(#"2/woops["a"]"#, .invalidNamespace()),
        MalformedGolden(#"2/ns with space,["a"]"#, .invalidNamespace()),
        MalformedGolden(#"2/é,["a"]"#, .invalidNamespace()),
        MalformedGolden("2/" + String(repeating: "a", count: 256) + #",["a"]"#, .invalidNamespace()),
        MalformedGolden("2", .missingPayload(.event)),
        MalformedGolden("2[]", .invalidPayload(.event, "")),
        MalformedGolden("2[1]", .invalidPayload(.event, "")),
        MalformedGolden(#"2[true,"foo"]"#, .invalidPayload(.event, "")),
        MalformedGolden(#"2[null,"bar"]"#, .invalidPayload(.event, "")),
        MalformedGolden(#"2[{"toString":"foo"}]"#, .invalidPayload(.event, "")),
        MalformedGolden("2{}", .invalidPayload(.event, "")),
        MalformedGolden("2/admin,{}", .invalidPayload(.event, "")),
        MalformedGolden(#"2"event""#, .invalidPayload(.event, "")),
        MalformedGolden(#"2["connect"]"#, .reservedEventName("connect")),
        MalformedGolden(#"2["disconnect","123"]"#, .reservedEventName("disconnect")),
        MalformedGolden(#"29007199254740992["a"]"#, .ackIDOutOfRange()),
        MalformedGolden(#"299999999999999999999999999["a"]"#, .ackIDOutOfRange()),
        MalformedGolden("318446744073709551616[]", .ackIDOutOfRange()),
        MalformedGolden(#"0/admin,"a string""#, .invalidPayload(.connect, "")),
        MalformedGolden("0[]", .invalidPayload(.connect, "")),
        MalformedGolden(#"0{"token":"abc","pid":1}"#, .invalidPayload(.connect, "")),
        MalformedGolden(#"0{"offset":null}"#, .invalidPayload(.connect, "")),
        MalformedGolden("012", .unexpectedAckID(.connect)),
        MalformedGolden("0{", .malformedPayload("")),
        MalformedGolden("1/admin,{}", .unexpectedPayload(.disconnect)),
        MalformedGolden(#"1"bye""#, .unexpectedPayload(.disconnect)),
        MalformedGolden("17", .unexpectedAckID(.disconnect)),
        MalformedGolden("3/admin,{}", .missingAckID(.ack)),
        MalformedGolden("3[]", .missingAckID(.ack)),
        MalformedGolden("31", .missingPayload(.ack)),
        MalformedGolden("3/admin,1{}", .invalidPayload(.ack, "")),
        MalformedGolden(#"31"invalid""#, .invalidPayload(.ack, "")),
        MalformedGolden("4", .missingPayload(.connectError)),
        MalformedGolden("4/admin,[]", .invalidPayload(.connectError, "")),
        MalformedGolden(#"4/admin,"invalid""#, .invalidPayload(.connectError, "")),
        MalformedGolden("4{}", .invalidPayload(.connectError, "")),
        MalformedGolden(#"5["a"]"#, .invalidAttachmentCount()),
        MalformedGolden(#"5-["a"]"#, .invalidAttachmentCount()),
        MalformedGolden("51", .invalidAttachmentCount()),
        MalformedGolden(#"51234567-["a"]"#, .invalidAttachmentCount()),
        MalformedGolden(#"61-[{"_placeholder":true,"num":0}]"#, .missingAckID(.binaryAck)),
        MalformedGolden(#"51-/a b,["x"]"#, .invalidNamespace()),
    ]
}
