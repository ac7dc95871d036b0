import HeraldDaemonKit
import HeraldModel
import NIOCore
import Testing

/// The presence messages between edges and the batcher: exact bytes, and what reading them back gives.
@Suite struct PresenceCodecTests {
    let ada = PresenceMember(userID: "42", info: ByteBuffer(string: #"{"name":"Ada","tags":["a",1]}"#), since: 1_700)

    @Test func seatWithAndWithoutItsUser() throws {
        let join = StageRequests.PresenceSeat(channel: "presence-thread.7", connection: "1.2", member: ada)
        #expect(
            String(buffer: join.encoded)
                == #"{"channel":"presence-thread.7","connection":"1.2","user":{"id":"42","info":{"name":"Ada","tags":["a",1]},"since":1700}}"#
        )
        #expect(try StageRequests.PresenceSeat(params: join.encoded) == join)
        let leave = StageRequests.PresenceSeat(channel: "room.r1", connection: "3.4")
        #expect(String(buffer: leave.encoded) == #"{"channel":"room.r1","connection":"3.4"}"#)
        #expect(try StageRequests.PresenceSeat(params: leave.encoded) == leave)
    }

    @Test func membersAndRestatementRoundTrip() throws {
        let list = StageRequests.PresenceList(members: [ada, PresenceMember(userID: "7")])
        #expect(
            String(buffer: list.encoded)
                == #"{"members":[{"id":"42","info":{"name":"Ada","tags":["a",1]},"since":1700},{"id":"7"}]}"#)
        #expect(try StageRequests.PresenceList(params: list.encoded) == list)
        let restatement = StageRequests.PresenceRestatement(seats: [
            StageRequests.PresenceSeat(channel: "a", connection: "1.1", member: PresenceMember(userID: "1"))
        ])
        #expect(try StageRequests.PresenceRestatement(params: restatement.encoded) == restatement)
    }

    @Test func noticesOfArrivalAndDeparture() throws {
        let joined = StageRequests.PresenceNotice(channel: "c", change: .added(ada), connection: "1.2", time: 9)
        #expect(try StageRequests.PresenceNotice(params: joined.encoded) == joined)
        let left = StageRequests.PresenceNotice(channel: "c", change: .removed(userID: "42"), time: 10)
        #expect(
            String(buffer: left.encoded) == #"{"channel":"c","action":"leave","user":{"id":"42"},"time_ms":10}"#)
        #expect(try StageRequests.PresenceNotice(params: left.encoded) == left)
    }

    @Test func malformedPresenceIsRefusedNamingTheMember() {
        #expect(throws: HeraldError.self) {
            try StageRequests.PresenceNotice(
                params: ByteBuffer(string: #"{"channel":"c","action":"wave","user":{"id":"1"},"time_ms":1}"#))
        }
        do {
            _ = try StageRequests.PresenceSeat(
                params: ByteBuffer(string: #"{"channel":"c","connection":"1","user":{"id":5}}"#))
            Issue.record("a numeric user id was accepted")
        } catch let error as HeraldError {
            #expect(error.code == .invalidPayload)
            #expect(error.message.contains("user.id"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
