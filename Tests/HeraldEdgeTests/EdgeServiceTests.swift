import Foundation
import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldEdge

@Suite struct EdgeServiceTests {
    private func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    private func event(_ id: String, offset: Int64, data: String, audience: Audience = Audience()) -> WireEvent {
        WireEvent(
            id: EventID(uncheckedRawValue: id), name: "news.posted", channels: ["news"],
            timestamp: "2025-07-17T10:30:00Z", priority: .high, userID: ByteBuffer(string: "7"), audience: audience,
            data: ByteBuffer(string: data), offset: offset, epoch: "e1")
    }

    @Test func subscribedClientReceivesTheExactEnvelopeOnceAndOnlyWhenAdmitted() async throws {
        try await EdgeHarness.with { edge in
            let client = try await edge.connect()
            let answer = try await client.upgrade("/ws?token=good-42")
            #expect(answer.status == 101)

            let connected = try json(try await client.readText())
            #expect(connected["type"] as? String == "connected")
            #expect(connected["user_id"] as? String == "42")
            #expect(connected["channels"] as? [String] == ["user.42", "private-user.42"])
            #expect(ConnectionID.isValid(connected["connection_id"] as? String ?? ""))

            try await client.sendText(#"{"type":"subscribe","id":1,"channel":"news"}"#)
            let ack = try await client.readText()
            #expect(ack.hasPrefix(#"{"type":"ack","id":1,"ok":true,"data":{"channel":"news","epoch":""#), "\(ack)")
            #expect(ack.hasSuffix(#","offset":0}}"#), "a channel without events yet: offset 0")
            _ = try await edge.nextInterestChange { $0.add.contains { $0.channel == "news" } }

            let first = event("evt_1", offset: 1, data: #"{"headline":"Hi \"there\"","n":[1, 2.50]}"#)
            let hidden = event("evt_2", offset: 2, data: "{}", audience: Audience(userIDs: ["99"]))
            let third = event("evt_3", offset: 3, data: "[3]")
            try await edge.batcher.deliver([first, first, hidden, third])
            #expect(
                try await client.readText()
                    == #"{"type":"event","id":"evt_1","event":"news.posted","channel":"news","#
                    + #""timestamp":"2025-07-17T10:30:00Z","user_id":7,"priority":"high","#
                    + #""data":{"headline":"Hi \"there\"","n":[1, 2.50]},"offset":1,"epoch":"e1"}"#)
            #expect(
                try await client.readText()
                    == #"{"type":"event","id":"evt_3","event":"news.posted","channel":"news","#
                    + #""timestamp":"2025-07-17T10:30:00Z","user_id":7,"priority":"high","data":[3],"#
                    + #""offset":3,"epoch":"e1"}"#
            )

            try await client.sendText(#"{"type":"subscribe","id":"s2","channel":"secret.plans"}"#)
            #expect(
                try await client.readText()
                    == #"{"type":"ack","id":"s2","ok":false,"error":{"code":"PERMISSION_DENIED","message":"Unauthorized"}}"#
            )
            try await client.sendText("this is not json")
            let error = try json(try await client.readText())
            #expect(error["type"] as? String == "error")
            #expect((error["error"] as? [String: Any])?["code"] as? String == "INVALID_PAYLOAD")
            try await client.sendText(#"{"type":"ping","id":3}"#)
            let pong = try json(try await client.readText())
            #expect(((pong["data"] as? [String: Any])?["pong"] as? Int ?? 0) > 1_700_000_000_000)

            let stats = await edge.service.stats()
            #expect(stats["channels"] == .int(3))
            #expect(stats["deliveries"] == .int(3))
            #expect(stats["frames_out"] == .int(2))
            #expect(stats["duplicates_dropped"] == .int(1))
            #expect(stats["connections"]?["authenticated"] == .int(1))

            try await client.sendClose(code: 1000)
            let close = try await client.readFrame()
            #expect(close.opcode == 0x8)
            #expect(close.closeCode == 1000)
            try await client.readEnd()
        }
    }

    @Test func batcherReconnectRestatesInterestWithTheLastPositions() async throws {
        try await EdgeHarness.with { edge in
            let client = try await edge.connect()
            #expect(try await client.upgrade("/api/ws", headers: [("Authorization", "Bearer good-5")]).status == 101)
            _ = try await client.readText()
            try await client.sendText(#"{"type":"subscribe","id":1,"channel":"news"}"#)
            _ = try await client.readText()
            try await edge.batcher.deliver([event("evt_9", offset: 9, data: "1")])
            _ = try await client.readText()

            try await edge.batcher.dropEdge()
            let restated = try await edge.nextInterestChange { $0.reset == true }
            #expect(restated.add.contains(.init(channel: "news", epoch: "e1", offset: 9)))
            #expect(restated.add.contains(.init(channel: "user.5", epoch: "e1", offset: 0)))
            await client.close()
        }
    }

    @Test func badTokensAndUnknownPathsAreRefusedWithJSON() async throws {
        try await EdgeHarness.with { edge in
            let bad = try await edge.connect()
            let refused = try await bad.upgrade("/ws?token=bad")
            #expect(refused.status == 401)
            #expect(refused.headers["content-type"] == "application/json")
            #expect(refused.body == #"{"ok":false,"error":{"code":"AUTHENTICATION_FAILED","message":"invalid token"}}"#)
            try await bad.readEnd()

            let expired = try await edge.connect()
            let late = try await expired.upgrade("/api/ws", headers: [("Authorization", "Bearer expired")])
            #expect(late.status == 401)
            #expect(late.body == #"{"ok":false,"error":{"code":"TOKEN_EXPIRED","message":"token expired"}}"#)

            let unchecked = try await edge.connect()
            let unavailable = try await unchecked.upgrade("/ws?token=down")
            #expect(unavailable.status == 503)
            #expect(unavailable.headers["retry-after"] == "5")
            #expect(
                try json(unavailable.body)["error"].flatMap { ($0 as? [String: Any])?["code"] as? String }
                    == "UNAVAILABLE")

            let plain = try await edge.connect()
            try await plain.send(raw: "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try await plain.readHTTPAnswer().status == 426)

            let lost = try await edge.connect()
            let missing = try await lost.upgrade("/nowhere?token=good-1")
            #expect(missing.status == 404)
            #expect(try json(missing.body)["ok"] as? Bool == false)
        }
    }

    @Test func tokenInTheFirstMessage() async throws {
        try await EdgeHarness.with { edge in
            let good = try await edge.connect()
            #expect(try await good.upgrade("/ws").status == 101)
            try await good.sendText(#"{"type":"auth","token":"Bearer good-7"}"#)
            #expect(try json(try await good.readText())["user_id"] as? String == "7")

            let bad = try await edge.connect()
            #expect(try await bad.upgrade("/ws").status == 101)
            try await bad.sendText(#"{"type":"auth","token":"forged"}"#)
            #expect(
                try await bad.readText()
                    == #"{"type":"error","error":{"code":"AUTHENTICATION_FAILED","message":"invalid token"}}"#)
            let close = try await bad.readFrame()
            #expect(close.opcode == 0x8)
            #expect(close.closeCode == 4001)
            try await bad.readEnd()
        }
    }

    @Test func limitsCloseOversizeMessagesAndRefuseExtraConnections() async throws {
        let configuration = HeraldConfiguration(limits: LimitsConfig(connectionsPerEdge: 1, maxMessageBytes: 1024))
        try await EdgeHarness.with(configuration: configuration) { edge in
            let first = try await edge.connect()
            #expect(try await first.upgrade("/ws?token=good-1").status == 101)
            _ = try await first.readText()

            let second = try await edge.connect()
            let refused = try await second.upgrade("/ws?token=good-2")
            #expect(refused.status == 429)
            #expect(
                try json(refused.body)["error"].flatMap { ($0 as? [String: Any])?["code"] as? String }
                    == "CONNECTION_LIMIT")

            try await first.sendText(String(repeating: "x", count: 2000))
            let close = try await first.readFrame()
            #expect(close.opcode == 0x8)
            #expect(close.closeCode == 1009)
            try await first.readEnd()
        }
    }
}
