import HeraldModel
import HeraldWire
import NIOCore
import Testing

/// `dataMember` hands back a member of the publisher's data as the bytes it was published with.
@Suite struct WireEventDataMemberTests {
    func event(data: String) -> WireEvent {
        WireEvent(
            id: EventID(uncheckedRawValue: "e1"), name: "forum.thread.view_count_updated", channels: ["forum"],
            timestamp: "2025-07-17T10:30:00Z", priority: .low, data: ByteBuffer(string: data))
    }

    @Test func aMemberComesBackAsItsRawBytes() {
        let data = #"{ "views": 3, "thread_id" : "t\u0031", "nested": {"thread_id": 9} }"#
        #expect(event(data: data).dataMember("thread_id") == ByteBuffer(string: #""t\u0031""#))
        #expect(event(data: data).dataMember("views") == ByteBuffer(string: "3"))
        #expect(event(data: data).dataMember("nested") == ByteBuffer(string: #"{"thread_id": 9}"#))
    }

    @Test(arguments: ["", "null", "7", #""text""#, "[1, 2]", #"{"views": 3}"#, "{not json"])
    func dataWithoutTheMemberGivesNil(data: String) {
        #expect(event(data: data).dataMember("thread_id") == nil)
    }
}
