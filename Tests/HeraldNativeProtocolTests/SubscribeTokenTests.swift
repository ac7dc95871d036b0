import HeraldEdge
import HeraldModel
import NIOCore
import Testing

@testable import HeraldNativeProtocol

/// A native `subscribe` may carry a subscription token, which goes to the authorizer with the question.
@Suite struct SubscribeTokenTests {
    let native = NativeProtocol()

    private func command(_ text: String) -> ClientCommand {
        native.command(fromText: ByteBuffer(string: text))
    }

    @Test func theTokenIsReadWhenPresent() {
        #expect(
            command(#"{"type":"subscribe","id":1,"channel":"room.5","token":"a.b.c"}"#)
                == .subscribe(id: CommandID(json: "1"), channel: "room.5", recover: nil, token: "a.b.c"))
        #expect(
            command(#"{"type":"subscribe","id":2,"channel":"room.5","token":null}"#)
                == .subscribe(id: CommandID(json: "2"), channel: "room.5", recover: nil))
        #expect(
            command(#"{"type":"subscribe","id":3,"channel":"room.5","token":"t","recover":{"epoch":"e","offset":1}}"#)
                == .subscribe(
                    id: CommandID(json: "3"), channel: "room.5", recover: ChannelPosition(epoch: "e", offset: 1),
                    token: "t"))
    }

    @Test func aTokenThatIsNotAStringIsRefused() {
        guard case .invalid = command(#"{"type":"subscribe","id":1,"channel":"room.5","token":5}"#) else {
            Issue.record("a numeric token was accepted")
            return
        }
    }
}
