import HeraldDaemonKit
import NIOCore
import Testing

@testable import HeraldEdge

/// The batcher's questions to a real edge over its real batcher link: channel state and terminate-user.
@Suite struct EdgeRequestTests {
    private func subscribe(_ client: TestWebSocketClient, user: Int, to channel: String) async throws {
        #expect(try await client.upgrade("/ws?token=good-\(user)").status == 101)
        _ = try await client.readText()
        try await client.sendText(#"{"type":"subscribe","id":1,"channel":"\#(channel)"}"#)
        _ = try await client.readText()
    }

    @Test func theEdgeReportsItsChannelsAndClosesAUsersConnections() async throws {
        try await EdgeHarness.with { edge in
            let seven = try await edge.connect()
            let eight = try await edge.connect()
            try await subscribe(seven, user: 7, to: "news")
            try await subscribe(eight, user: 8, to: "news")

            let answer = try await edge.batcher.ask(
                StageRequests.channelsQuery, StageRequests.ChannelsQuery(channel: "news"))
            let states = try StageRequests.decode(StageRequests.ChannelStates.self, from: answer)
            #expect(states.channels == ["news": .init(subscriptionCount: 2)])

            let closed = try await edge.batcher.ask(
                StageRequests.terminateUser, StageRequests.TerminateUser(userID: "7"))
            #expect(try StageRequests.decode(StageRequests.TerminatedConnections.self, from: closed).connections == 1)
            let frame = try await seven.readFrame()
            #expect(frame.opcode == 0x8)
            #expect(frame.closeCode == CloseCode.terminated.rawValue)

            let unknown = try await edge.batcher.ask(
                StageRequests.terminateUser, StageRequests.TerminateUser(userID: "nobody"))
            #expect(try StageRequests.decode(StageRequests.TerminatedConnections.self, from: unknown).connections == 0)
            // The other user's connection is untouched.
            try await eight.sendText(#"{"type":"subscribe","id":2,"channel":"more"}"#)
            #expect(try await eight.readText().contains(#""id":2,"ok":true"#))
            await seven.close()
            await eight.close()
        }
    }
}
