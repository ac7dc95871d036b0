import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldIngress

/// The body of `POST /api/rooms/{roomId}/events` into the event it publishes.
@Suite("RoomEventParser")
struct RoomEventParserTests {
    let parser = RoomEventParser(
        priorities: .seed, makeID: { EventID(uncheckedRawValue: "evt_room") }, now: { "2030-01-02T03:04:05Z" })

    func parse(_ json: String, app: String = "lottery", room: String = "42") throws(HeraldError) -> WireEvent {
        try parser.parse(ByteBuffer(string: json), appID: app, roomID: room)
    }

    func error(_ json: String) -> HeraldError? {
        do {
            _ = try parse(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func theEventGoesToTheRoomsChannelWithTheAppAndTheDataAsSent() throws {
        let data = #"{ "n" : 1.50, "s":"\u00e9\n", "nested":{"a":[1, 2 ,3]} }"#
        let event = try parse(#"{"event":"lottery:draw.started","data":\#(data)}"#)
        #expect(event.id.rawValue == "evt_room")
        #expect(event.name == "lottery:draw.started")
        #expect(event.channels == ["room.42"])
        #expect(event.appID == "lottery")
        #expect(event.timestamp == "2030-01-02T03:04:05Z")
        #expect(String(buffer: event.data) == data)
        #expect(event.userID == nil && event.metadata == nil && event.audience == Audience())
    }

    @Test func priorityComesFromTheEventsTable() throws {
        #expect(try parse(#"{"event":"lottery:draw.started","data":{}}"#).priority == .medium)
        let high = try parser.parse(
            ByteBuffer(string: #"{"event":"messaging:draw.status_changed","data":{}}"#), appID: "messaging",
            roomID: "1")
        #expect(high.priority == PriorityTable.seed.priority(for: "messaging:draw.status_changed"))
    }

    @Test(arguments: [
        #"{"event":"other:draw","data":{}}"#, #"{"event":"draw","data":{}}"#, #"{"event":"lotteryx:draw","data":{}}"#,
        #"{"event":"LOTTERY:draw","data":{}}"#, #"{"event":"draw.lottery:x","data":{}}"#,
    ])
    func namesWithoutTheAppsPrefixAreRefused(_ body: String) {
        #expect(error(body)?.code == .appPermissionDenied)
    }

    @Test(arguments: [
        "", "[]", "{", "null", #"{"data":{}}"#, #"{"event":null,"data":{}}"#, #"{"event":7,"data":{}}"#,
        #"{"event":"lottery:bad name","data":{}}"#, #"{"event":"lottery:","data":{}}"#,
        #"{"event":"lottery:draw"}"#, #"{"event":"lottery:draw","data":null}"#, #"{"event":"lottery:draw","data":[1]}"#,
        #"{"event":"lottery:draw","data":"text"}"#, #"{"event":"lottery:draw","data":{"a":}}"#,
    ])
    func malformedBodiesAreInvalidPayloads(_ body: String) {
        #expect(error(body)?.code == .invalidPayload, "\(body)")
    }

    @Test func messagesNameTheField() {
        #expect(error(#"{"event":"lottery:draw","data":[1]}"#)?.message == "data: must be an object")
        #expect(error(#"{"data":{}}"#)?.message.hasPrefix("event: required") == true)
    }
}
