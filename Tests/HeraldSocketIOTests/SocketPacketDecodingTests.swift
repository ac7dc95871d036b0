import HeraldSocketIO
import HeraldWire
import NIOCore
import Testing

@Suite("Socket.IO packet decoding")
struct SocketPacketDecodingTests {
    private static func decode(_ text: String) throws(SocketIOError) -> SocketPacket {
        try SocketPacket.decode(ByteBuffer(string: text))
    }

    private static func raw(_ values: [JSONValueRef]) -> [String] { values.map { String(buffer: $0.raw) } }

    private static let admin = SocketNamespace("/admin")!

    @Test(arguments: ["0", "0/", "0/,"])
    func connectsToTheMainNamespace(text: String) throws {
        #expect(try Self.decode(text) == .connect(SocketConnect(namespace: .main)))
    }

    @Test(arguments: ["0/admin", "0/admin,"])
    func connectsToACustomNamespace(text: String) throws {
        #expect(try Self.decode(text) == .connect(SocketConnect(namespace: Self.admin)))
    }

    @Test func connectKeepsItsAuthPayload() throws {
        guard case .connect(let connect) = try Self.decode(#"0/admin,{"token":"123"}"#) else {
            Issue.record("not a CONNECT")
            return
        }
        #expect(connect.namespace == Self.admin)
        #expect(String(buffer: try #require(connect.auth).raw) == #"{"token":"123"}"#)
        #expect(try connect.auth?.object()["token"]?.value.string == "123")
        #expect(connect.pid == nil)
        #expect(connect.offset == nil)
    }

    @Test func connectReadsRecoveryFields() throws {
        guard case .connect(let connect) = try Self.decode(#"0{"token":"abc","pid":"p-1","offset":"7x9tb3w5n6p0-12"}"#)
        else {
            Issue.record("not a CONNECT")
            return
        }
        #expect(connect.pid == "p-1")
        #expect(connect.offset == "7x9tb3w5n6p0-12")
    }

    @Test(arguments: [
        ("1", SocketNamespace.main), ("1/admin,", SocketNamespace("/admin")!), ("1/admin", SocketNamespace("/admin")!),
    ])
    func disconnects(text: String, namespace: SocketNamespace) throws {
        #expect(try Self.decode(text) == .disconnect(namespace))
    }

    @Test func decodesEvents() throws {
        guard case .event(let event) = try Self.decode(#"2["foo"]"#) else {
            Issue.record("not an EVENT")
            return
        }
        #expect(event.name == "foo")
        #expect(event.arguments.isEmpty)
        #expect(event.namespace == .main)
        #expect(event.ackID == nil)
    }

    @Test func decodesEventsWithNamespaceAndAckID() throws {
        guard case .event(let event) = try Self.decode(#"2/admin,456["message-with-ack",1,"2",{"3":[false]}]"#) else {
            Issue.record("not an EVENT")
            return
        }
        #expect(event.namespace == Self.admin)
        #expect(event.ackID == SocketAckID(456))
        #expect(event.name == "message-with-ack")
        #expect(Self.raw(event.arguments) == ["1", #""2""#, #"{"3":[false]}"#])
        #expect(event.arguments.map(\.kind) == [.number, .string, .object])
    }

    @Test func eventNamesAreUnescaped() throws {
        guard case .event(let event) = try Self.decode(#"2 [ "caf\u00e9" , null ] "#) else {
            Issue.record("not an EVENT")
            return
        }
        #expect(event.name == "café")
        #expect(Self.raw(event.arguments) == ["null"])
    }

    @Test func eventArgumentsAreSlicesOfTheInput() throws {
        let input = ByteBuffer(string: #"212["foo",{"big":[1,2,3]}]"#)
        guard case .event(let event) = try SocketPacket.decode(input) else {
            Issue.record("not an EVENT")
            return
        }
        #expect(event.ackID == SocketAckID(12))
        let argument = try #require(event.arguments.first)
        // Zero copy: the argument's bytes are a view of the input's storage.
        input.withUnsafeReadableBytes { whole in
            argument.raw.withUnsafeReadableBytes { part in
                #expect(part.baseAddress == whole.baseAddress.map { $0 + 10 })
            }
        }
    }

    @Test func decodesAcks() throws {
        #expect(try Self.decode("312[]") == .ack(SocketAck(namespace: .main, ackID: SocketAckID(12)!, arguments: [])))
        guard case .ack(let ack) = try Self.decode(#"3/admin,13["bar"]"#) else {
            Issue.record("not an ACK")
            return
        }
        #expect(ack.namespace == Self.admin)
        #expect(ack.ackID == SocketAckID(13))
        #expect(Self.raw(ack.arguments) == [#""bar""#])
    }

    @Test func decodesConnectErrors() throws {
        guard
            case .connectError(let error) = try Self.decode(#"4/random,{"message":"Invalid namespace","data":{"a":1}}"#)
        else {
            Issue.record("not a CONNECT_ERROR")
            return
        }
        #expect(error.namespace == SocketNamespace("/random"))
        #expect(error.message == "Invalid namespace")
        #expect(error.data.map { String(buffer: $0.raw) } == #"{"a":1}"#)
    }

    @Test(arguments: [
        (
            #"51-["baz",{"_placeholder":true,"num":0}]"#,
            SocketBinaryPacket(type: .binaryEvent, namespace: .main, attachments: 1)
        ),
        (
            #"52-/admin,["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#,
            SocketBinaryPacket(type: .binaryEvent, namespace: SocketNamespace("/admin")!, attachments: 2)
        ),
        (
            #"52-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#,
            SocketBinaryPacket(type: .binaryEvent, namespace: .main, attachments: 2, ackID: SocketAckID(789))
        ),
        (
            #"61-15["bar",{"_placeholder":true,"num":0}]"#,
            SocketBinaryPacket(type: .binaryAck, namespace: .main, attachments: 1, ackID: SocketAckID(15))
        ),
    ])
    func recognizesBinaryPacketsAsUnsupported(text: String, header: SocketBinaryPacket) throws {
        #expect(try Self.decode(text) == .binaryNotSupported(header))
    }

    @Test func acceptsTheLargestAckID() throws {
        guard case .event(let event) = try Self.decode(#"29007199254740991["a"]"#) else {
            Issue.record("not an EVENT")
            return
        }
        #expect(event.ackID?.value == SocketAckID.maximum)
        #expect(SocketAckID(SocketAckID.maximum + 1) == nil)
    }

    @Test(arguments: MalformedGolden.all)
    func refusesMalformedPackets(golden: MalformedGolden) {
        #expect(throws: golden.error) { try Self.decode(golden.text) }
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(throws: SocketIOError.self) { try Self.decode("2[1]") }
        do {
            _ = try Self.decode("2[1]")
        } catch {
            #expect(error.message == "EVENT payload: the first element, the event name, must be a string")
        }
        do {
            _ = try Self.decode(#"2["ev""#)
        } catch {
            #expect(error.message.hasPrefix("payload is not valid JSON: malformed JSON at byte"))
        }
    }

    @Test func namespacesAreValidated() {
        #expect(SocketNamespace("/rooms/r1")?.path == "/rooms/r1")
        #expect(SocketNamespace("/").map(\.isMain) == true)
        #expect(SocketNamespace("admin") == nil)
        #expect(SocketNamespace("") == nil)
        #expect(SocketNamespace("/a,b") == nil)
        #expect(SocketNamespace("/" + String(repeating: "x", count: 255)) != nil)
        #expect(SocketNamespace("/" + String(repeating: "x", count: 256)) == nil)
    }
}

/// The invalid messages the Socket.IO protocol's own test suite sends a server, through both layers: each must
/// come out as an Engine.IO message whose Socket.IO packet is refused.
@Suite("Socket.IO test suite messages")
struct SpecificationSuiteTests {
    @Test(arguments: [
        ("4abc", SocketIOError.unknownPacketType(UInt8(ascii: "a"))),
        ("42{}", .invalidPayload(.event, "")),
        (#"42abc["message-with-ack",1,"2",{"3":[false]}]"#, .malformedPayload("")),
    ])
    func refusesInvalidMessages(text: String, error: SocketIOError) throws {
        let engine = try EnginePacket.decode(text: ByteBuffer(string: text))
        #expect(engine.type == .message)
        #expect(throws: error) { try SocketPacket.decode(engine.data) }
    }

    @Test(arguments: [
        "40", "40/custom,", #"40/custom,{"token":"abc"}"#, "40/random", "41", "41/custom",
        #"42["message","message to main namespace"]"#, #"42["message",1,"2",{"3":[true]}]"#,
        #"42456["message-with-ack",1,"2",{"3":[false]}]"#,
    ])
    func acceptsValidMessages(text: String) throws {
        let engine = try EnginePacket.decode(text: ByteBuffer(string: text))
        #expect(engine.type == .message)
        _ = try SocketPacket.decode(engine.data)
    }

    @Test(arguments: [
        #"452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#,
        #"452-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#,
    ])
    func recognizesBinaryMessages(text: String) throws {
        let engine = try EnginePacket.decode(text: ByteBuffer(string: text))
        guard case .binaryNotSupported(let header) = try SocketPacket.decode(engine.data) else {
            Issue.record("not refused as binary")
            return
        }
        #expect(header.attachments == 2)
    }
}
