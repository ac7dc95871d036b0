import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldIngress

@Suite("PusherEventParser")
struct PusherEventParserTests {
    let parser = PusherEventParser(
        priorities: .seed, makeID: { EventID(uncheckedRawValue: "evt_generated") }, now: { "2030-01-02T03:04:05Z" })

    func parse(_ json: String, _ endpoint: PusherEndpoint = .events) throws(HeraldError) -> PusherEventParser.Trigger {
        try parser.parse(ByteBuffer(string: json), for: endpoint)
    }

    func message(_ json: String, _ endpoint: PusherEndpoint = .events) -> String? {
        do {
            _ = try parse(json, endpoint)
            return nil
        } catch {
            #expect(error.code == .invalidPayload)
            return error.message
        }
    }

    func text(_ buffer: ByteBuffer) -> String { String(buffer: buffer) }

    @Test func whatThePythonLibrarySends() throws {
        let trigger = try parse(#"{"name": "my-event", "channels": ["orders"], "data": "{\"id\": 1}"}"#)
        #expect(!trigger.wantsInfo)
        let event = try #require(trigger.events.first)
        #expect(trigger.events.count == 1)
        #expect(event.id.rawValue == "evt_generated")
        #expect(event.name == "my-event")
        #expect(event.channels == ["orders"])
        #expect(event.timestamp == "2030-01-02T03:04:05Z")
        #expect(event.priority == .medium)
        #expect(event.audience.isEveryone)
        #expect(text(event.data) == #"{"id": 1}"#)
    }

    @Test func laravelEventNamesAndSocketID() throws {
        let body = #"""
            {"name":"App\\Events\\OrderShipped","data":"{\"order\":{\"id\":9}}","channels":["private-orders.9",
             "orders"],"socket_id":"1234.5678"}
            """#
        let event = try #require(try parse(body).events.first)
        #expect(event.name == #"App\Events\OrderShipped"#)
        #expect(event.channels == ["private-orders.9", "orders"])
        #expect(event.audience == Audience(excludeSocketID: "1234.5678"))
        #expect(text(event.data) == #"{"order":{"id":9}}"#)
    }

    @Test func dataThatIsNotJSONStaysAString() throws {
        #expect(
            text(try #require(try parse(#"{"name":"a","channel":"c","data":"hello"}"#).events.first).data)
                == #""hello""#)
        #expect(text(try #require(try parse(#"{"name":"a","channel":"c","data":""}"#).events.first).data) == #""""#)
        #expect(
            text(try #require(try parse(#"{"name":"a","channel":"c","data":"caf\u00e9 \"x"}"#).events.first).data)
                == #""caf\u00e9 \"x""#)
        #expect(
            text(try #require(try parse(#"{"name":"a","channel":"c","data":" [1, 2] "}"#).events.first).data)
                == "[1, 2]")
        #expect(text(try #require(try parse(#"{"name":"a","channel":"c","data":"42"}"#).events.first).data) == "42")
    }

    @Test func priorityComesFromTheTable() throws {
        let event = try #require(try parse(#"{"name":"messaging.sent","channel":"c","data":"{}"}"#).events.first)
        #expect(event.priority == .high)
    }

    @Test func infoNamesTheAttributesAsked() throws {
        let trigger = try parse(#"{"name":"a","channel":"c","data":"{}","info":"subscription_count, user_count"}"#)
        #expect(trigger.info == [TriggerInfo(subscriptionCount: true, userCount: true)])
        #expect(
            try parse(#"{"name":"a","channel":"c","data":"{}","info":"user_count"}"#).info == [
                TriggerInfo(userCount: true)
            ])
        #expect(message(#"{"name":"a","channel":"c","data":"{}","info":"colour"}"#)?.contains("info") == true)
        #expect(message(#"{"name":"a","channel":"c","data":"{}","info":1}"#)?.contains("info") == true)
    }

    @Test func batch() throws {
        let body = #"""
            {"batch":[{"channel":"orders","name":"order:created","data":"{\"id\":1}"},
                      {"channel":"payments","name":"App\\Events\\Paid","data":"plain","socket_id":"1.2"}]}
            """#
        let trigger = try parse(body, .batchEvents)
        #expect(trigger.events.map(\.name) == ["order:created", #"App\Events\Paid"#])
        #expect(trigger.events.map(\.channels) == [["orders"], ["payments"]])
        #expect(trigger.events.map { text($0.data) } == [#"{"id":1}"#, #""plain""#])
        #expect(trigger.events[1].audience.excludeSocketID == "1.2")
        #expect(!trigger.wantsInfo)
    }

    @Test func refusals() {
        #expect(message("")?.hasPrefix("body: ") == true)
        #expect(message(#"{"channel":"c","data":"{}"}"#) == "name: required, the event name")
        #expect(
            message(#"{"name":"a b","channel":"c","data":"{}"}"#)?.hasPrefix("name: must be 1–200 characters") == true)
        #expect(message(#"{"name":"a","data":"{}"}"#) == "channel: required (or channels)")
        #expect(message(#"{"name":"a","channel":"c"}"#)?.hasPrefix("data: required") == true)
        #expect(message(#"{"name":"a","channel":"c","data":{"id":1}}"#)?.hasPrefix("data: must be a string") == true)
        #expect(message(#"{"name":"a","channel":"c;d","data":"{}"}"#)?.hasPrefix("channel: must match") == true)
        #expect(
            message(#"{"name":"a","channel":"c","data":"{}","socket_id":""}"#)?.hasPrefix("socket_id: must be") == true)
        #expect(message(#"{"name":"a","channel":"c","data":"{}","socket_id":7}"#) == "socket_id: must be a string")
        #expect(message(#"{"name":"a","channel":"c","data":"{}","socket_id":"c_0123456789abcdefghjk"}"#) == nil)
        let channels = (0...100).map { "\"c\($0)\"" }.joined(separator: ",")
        #expect(
            message(#"{"name":"a","channels":[\#(channels)],"data":"{}"}"#)
                == "channels: names 101 channels, at most 100 are allowed per event")
        #expect(message(#"{"batch":[]}"#, .batchEvents) == "batch: must hold at least one event")
        #expect(message(#"{"name":"a"}"#, .batchEvents)?.hasPrefix("batch: required") == true)
        #expect(message(#"{"batch":[1]}"#, .batchEvents) == "batch[0]: must be an object")
        #expect(
            message(#"{"batch":[{"name":"a","data":"{}"}]}"#, .batchEvents)
                == "batch[0].channel: required (or channels)")
        let eleven = Array(repeating: #"{"name":"a","channel":"c","data":"{}"}"#, count: 11).joined(separator: ",")
        #expect(
            message(#"{"batch":[\#(eleven)]}"#, .batchEvents)
                == "batch: holds 11 events, at most 10 are allowed; split the batch")
    }
}
