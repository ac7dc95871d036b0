import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldIngress

@Suite("PublishRequestParser")
struct PublishRequestParserTests {
    let parser = PublishRequestParser(
        priorities: .seed, makeID: { EventID(uncheckedRawValue: "evt_generated") }, now: { "2030-01-02T03:04:05Z" })

    func parse(_ json: String, _ endpoint: PublishEndpoint = .broadcast) throws(HeraldError) -> [WireEvent] {
        try parser.parse(ByteBuffer(string: json), for: endpoint)
    }

    func message(_ json: String, _ endpoint: PublishEndpoint = .broadcast) -> String? {
        do {
            _ = try parse(json, endpoint)
            return nil
        } catch {
            #expect(error.code == .invalidPayload)
            return error.message
        }
    }

    func text(_ buffer: ByteBuffer?) -> String? { buffer.map { String(buffer: $0) } }

    @Test func minimalBroadcastTakesDefaults() throws {
        let events = try parse(#"{"channel":"thread.456","event":"forum.comment.created"}"#)
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event.id.rawValue == "evt_generated")
        #expect(event.name == "forum.comment.created")
        #expect(event.channels == ["thread.456"])
        #expect(event.timestamp == "2030-01-02T03:04:05Z")
        #expect(event.priority == .medium)
        #expect(text(event.data) == "{}")
        #expect(event.userID == nil)
        #expect(event.metadata == nil)
        #expect(event.collapseKey == nil)
        #expect(event.audience.isEveryone)
    }

    @Test func everyFieldIsRead() throws {
        let body = """
            {"id":"evt_publisher-1","event":"order:created","channel":"orders","channels":["orders","payments"],
             "timestamp":"2025-07-17T10:30:00Z","user_id":123,"priority":"low","data":{"a":[1,2.5,"x"]},
             "metadata":{"source":"laravel_api"},"collapse_key":"order-9","roles":["admin","staff"],
             "user_ids":[7,"8"],"exclude_user_ids":["9"],"socket_id":"conn.42"}
            """
        let event = try #require(try parse(body, .events).first)
        #expect(event.id.rawValue == "evt_publisher-1")
        #expect(event.name == "order:created")
        #expect(event.channels == ["orders", "payments"])
        #expect(event.timestamp == "2025-07-17T10:30:00Z")
        #expect(text(event.userID) == "123")
        #expect(event.priority == .low)
        #expect(text(event.data) == #"{"a":[1,2.5,"x"]}"#)
        #expect(text(event.metadata) == #"{"source":"laravel_api"}"#)
        #expect(event.collapseKey == "order-9")
        #expect(event.audience.roles == ["admin", "staff"])
        #expect(event.audience.userIDs == ["7", "8"])
        #expect(event.audience.excludeUserIDs == ["9"])
        #expect(event.audience.excludeSocketID == "conn.42")
    }

    @Test func stringUserIDKeepsItsQuotes() throws {
        let event = try #require(try parse(#"{"channel":"c","event":"e","user_id":"u-1"}"#).first)
        #expect(text(event.userID) == #""u-1""#)
    }

    @Test func dataBytesArePreservedExactly() throws {
        let data = #"{ "emoji" : "😀 \u00e9 \"q\"", "n": 1.50e3 ,"nested":[ {} , null ], "ü":true }"#
        let body = #"{"channel":"c","event":"e","data":"# + data + #","metadata":{ "k" :"v" }}"#
        let event = try #require(try parse(body).first)
        #expect(Array(event.data.readableBytesView) == Array(data.utf8))
        #expect(text(event.metadata) == #"{ "k" :"v" }"#)
    }

    @Test(arguments: ["\"text\"", "42", "[1,2]", "true"])
    func dataMayBeAnyJSONValue(_ data: String) throws {
        let event = try #require(try parse(#"{"channel":"c","event":"e","data":"# + data + "}").first)
        #expect(text(event.data) == data)
    }

    @Test func nullDataMeansTheDefault() throws {
        let event = try #require(try parse(#"{"channel":"c","event":"e","data":null}"#).first)
        #expect(text(event.data) == "{}")
    }

    @Test(arguments: [
        ("messaging.message.sent", Priority.high), ("order.status_changed", .high), ("user.typing", .high),
        ("forum.thread.view_count_updated", .low), ("forum.comment.created", .medium),
    ])
    func priorityDefaultsFromTheTable(_ name: String, _ expected: Priority) throws {
        let event = try #require(try parse(#"{"channel":"c","event":""# + name + #""}"#).first)
        #expect(event.priority == expected)
    }

    @Test func explicitPriorityWins() throws {
        let event = try #require(try parse(#"{"channel":"c","event":"messaging.sent","priority":"low"}"#).first)
        #expect(event.priority == .low)
    }

    @Test func configuredTableIsUsed() throws {
        let parser = PublishRequestParser(priorities: PriorityTable(rules: [.init("shop.*", .high)], fallback: .low))
        let events = try parser.parse(ByteBuffer(string: #"{"channel":"c","event":"shop.sale"}"#), for: .broadcast)
        #expect(events.first?.priority == .high)
        let other = try parser.parse(ByteBuffer(string: #"{"channel":"c","event":"forum.x"}"#), for: .broadcast)
        #expect(other.first?.priority == .low)
    }

    @Test func generatedIDsAreFreshAndValid() throws {
        let parser = PublishRequestParser(priorities: .seed)
        let body = ByteBuffer(string: #"{"events":[{"channel":"c","event":"e"},{"channel":"c","event":"e"}]}"#)
        let ids = try parser.parse(body, for: .events).map(\.id)
        #expect(ids.count == 2)
        #expect(ids[0] != ids[1])
        #expect(ids.allSatisfy { $0.rawValue.hasPrefix("evt_") && EventID($0.rawValue) != nil })
    }

    @Test func timestampsAreRestatedInUTC() throws {
        let event = try #require(
            try parse(#"{"channel":"c","event":"e","timestamp":"2025-07-17T12:30:00+02:00"}"#).first)
        #expect(event.timestamp == "2025-07-17T10:30:00Z")
        let fractional = try #require(
            try parse(#"{"channel":"c","event":"e","timestamp":"2025-12-31T23:59:59.123-01:00"}"#).first)
        #expect(fractional.timestamp == "2026-01-01T00:59:59.123Z")
    }

    @Test func batchCarriesEveryEnvelopeInOrder() throws {
        let body =
            #"{"events":[{"id":"a1","channel":"x","event":"e.one"},{"id":"a2","channels":["y"],"event":"e.two"}]}"#
        let events = try parse(body, .events)
        #expect(events.map(\.id.rawValue) == ["a1", "a2"])
        #expect(events.map(\.name) == ["e.one", "e.two"])
        #expect(events.map(\.channels) == [["x"], ["y"]])
    }

    @Test func batchOfOneHundredIsAcceptedAndOneMoreIsNot() throws {
        func batch(_ count: Int) -> String {
            #"{"events":["# + Array(repeating: #"{"channel":"c","event":"e"}"#, count: count).joined(separator: ",")
                + "]}"
        }
        let parser = PublishRequestParser(priorities: .seed)
        #expect(try parser.parse(ByteBuffer(string: batch(100)), for: .events).count == 100)
        #expect(message(batch(101), .events) == "events: holds 101 events, at most 100 are allowed; split the batch")
        #expect(message(#"{"events":[]}"#, .events) == "events: must hold at least one event")
        #expect(message(#"{"events":{}}"#, .events) == "events: must be an array of event envelopes")
        #expect(message(#"{"events":[1]}"#, .events) == "events[0]: must be an object")
    }

    @Test func broadcastDoesNotTakeABatch() {
        #expect(message(#"{"events":[{"channel":"c","event":"e"}]}"#, .broadcast) == "event: required")
    }

    @Test func batchErrorsNameTheEnvelope() {
        let body = #"{"events":[{"channel":"c","event":"e"},{"channel":"c","event":"bad name"}]}"#
        #expect(message(body, .events) == "events[1].event: must match [A-Za-z0-9_.:-]{1,200}")
        let repeated = #"{"events":[{"id":"x","channel":"c","event":"e"},{"id":"x","channel":"c","event":"e"}]}"#
        #expect(message(repeated, .events) == "events[1].id: repeats the id of events[0]; ids must be unique")
    }

    @Test(arguments: [
        ("", "body: required, a JSON object such as {\"channel\":…,\"event\":…}"),
        ("[1]", "body: malformed JSON at byte 0: expected a JSON object"),
        (#"{"channel":"c","event":"e""#, "body: malformed JSON at byte 26: "),
        (#"{"channel":"c"}"#, "event: required"),
        (#"{"channel":"c","event":7}"#, "event: must be a string"),
        (#"{"channel":"c","event":"a b"}"#, "event: must match [A-Za-z0-9_.:-]{1,200}"),
        (#"{"event":"e"}"#, "channel: required (or channels)"),
        (#"{"event":"e","channel":null,"channels":null}"#, "channel: required (or channels)"),
        (#"{"event":"e","channel":"a b"}"#, "channel: must match [A-Za-z0-9_.:@=,#-]{1,200}"),
        (#"{"event":"e","channel":5}"#, "channel: must be a string"),
        (#"{"event":"e","channels":[]}"#, "channels: must name at least one channel"),
        (#"{"event":"e","channels":"c"}"#, "channels: must be an array"),
        (#"{"event":"e","channels":["ok","no way"]}"#, "channels[1]: must match [A-Za-z0-9_.:@=,#-]{1,200}"),
        (#"{"event":"e","channels":["ok",1]}"#, "channels[1]: must be a string"),
        (#"{"event":"e","channel":"c","id":"has space"}"#, "id: must match [A-Za-z0-9_-]{1,64}"),
        (#"{"event":"e","channel":"c","priority":"urgent"}"#, "priority: must be high, medium or low"),
        (
            #"{"event":"e","channel":"c","timestamp":"yesterday"}"#,
            "timestamp: must be an RFC 3339 date-time such as 2025-07-17T10:30:00Z"
        ),
        (
            #"{"event":"e","channel":"c","timestamp":"2025-02-30T10:00:00Z"}"#,
            "timestamp: must be an RFC 3339 date-time such as 2025-07-17T10:30:00Z"
        ),
        (#"{"event":"e","channel":"c","user_id":{}}"#, "user_id: must be a string or a number"),
        (#"{"event":"e","channel":"c","metadata":[]}"#, "metadata: must be an object"),
        (#"{"event":"e","channel":"c","collapse_key":""}"#, "collapse_key: must be 1–200 bytes"),
        (#"{"event":"e","channel":"c","roles":"admin"}"#, "roles: must be an array"),
        (#"{"event":"e","channel":"c","roles":[""]}"#, "roles[0]: must be a non-empty string"),
        (#"{"event":"e","channel":"c","user_ids":[1.5]}"#, "user_ids[0]: must be a non-empty string or an integer"),
        (
            #"{"event":"e","channel":"c","exclude_user_ids":[true]}"#,
            "exclude_user_ids[0]: must be a non-empty string or an integer"
        ),
        (#"{"event":"e","channel":"c","socket_id":3}"#, "socket_id: must be a string"),
    ])
    func invalidFieldsAreNamed(_ body: String, _ expected: String) throws {
        let refusal = try #require(message(body, .events))
        if expected.hasSuffix(": ") {
            #expect(refusal.hasPrefix(expected))
        } else {
            #expect(refusal == expected)
        }
    }

    @Test func channelAndChannelsAreMergedWithoutRepeats() throws {
        let event = try #require(try parse(#"{"event":"e","channel":"a","channels":["b","a","c"]}"#).first)
        #expect(event.channels == ["a", "b", "c"])
    }

    @Test func tooManyChannels() {
        let channels = (0...100).map { "\"c\($0)\"" }.joined(separator: ",")
        #expect(
            message(#"{"event":"e","channels":["# + channels + "]}")
                == "channels: names 101 channels, at most 100 are allowed per event")
    }

    @Test func parsedEventsEncodeOntoTheWireWithTheSameData() throws {
        let data = #"{"text":"héllo \"world\"","n":[1,2]}"#
        let event = try #require(try parse(#"{"channel":"c","event":"e","data":"# + data + "}").first)
        var frame = ByteBuffer()
        frame.writeWireFrame(.event(event))
        let json = String(buffer: frame.getSlice(at: 4, length: frame.readableBytes - 4)!)
        #expect(json.contains(#""data":"# + data))
    }
}
