import Foundation
import HeraldDaemonKit
import HeraldModel
import HeraldWire
import NIOCore
import Testing

/// What the hand codec writes, it and Foundation read back as the same value; what Foundation wrote, it reads;
/// and the requests and answers quoted in docs/wire-protocol.md (HeraldWireTests' golden fixtures) read the
/// same both ways.
@Suite("Stage codec: round trips and golden fixtures")
struct StageCodecRoundTripTests {
    typealias S = StageRequests

    /// `value` through the hand codec and back, and through each half crossed with Foundation's: every path
    /// gives a value that re-encodes to the same bytes.
    func expectRoundTrip<Value: StageCodable>(_ value: Value, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let bytes = S.encode(value)
        let viaHand = try S.decode(Value.self, from: bytes)
        let viaFoundation = try FoundationPath.decode(Value.self, from: bytes)
        let fromFoundation = try S.decode(Value.self, from: FoundationPath.encode(value))
        for decoded in [viaHand, viaFoundation, fromFoundation] {
            #expect(S.encode(decoded) == bytes, sourceLocation: sourceLocation)
        }
    }

    @Test func principalsAndConnects() throws {
        for principal in StageCodecSamples.principals() {
            #expect(try S.decode(Principal.self, from: S.encode(principal)) == principal)
            try expectRoundTrip(S.ConnectVerdict(principal: principal))
            try expectRoundTrip(
                S.AuthorizeSubscribe(principal: principal, channel: principal.userID, token: principal.name))
        }
        for token in StageCodecSamples.strings {
            try expectRoundTrip(S.AuthorizeConnect(token: token, connection: token.isEmpty ? nil : token))
        }
        try expectRoundTrip(S.SubscribeVerdict(allowed: true))
        try expectRoundTrip(S.SubscribeVerdict(allowed: false))
        for text in StageCodecSamples.strings {
            try expectRoundTrip(S.RoomCheck(app: text, room: text))
        }
        try expectRoundTrip(S.RoomPresence(exists: true))
    }

    @Test func interestAndClosedConnections() throws {
        let entries = StageCodecSamples.strings.enumerated().map { index, text in
            S.InterestChange.Entry(
                channel: text, epoch: index % 2 == 0 ? text : nil,
                offset: index % 3 == 0 ? nil : StageCodecSamples.numbers[index % StageCodecSamples.numbers.count])
        }
        let change = S.InterestChange(reset: true, add: entries, remove: StageCodecSamples.strings)
        #expect(try S.decode(S.InterestChange.self, from: S.encode(change)).add == entries)
        try expectRoundTrip(change)
        try expectRoundTrip(S.InterestChange())

        var positions: [String: ChannelPosition] = [:]
        for (index, key) in StageCodecSamples.keys.enumerated() {
            positions[key] = ChannelPosition(
                epoch: "e\(index)", offset: StageCodecSamples.numbers[index % StageCodecSamples.numbers.count])
        }
        #expect(
            try S.decode(S.InterestPositions.self, from: S.encode(S.InterestPositions(positions: positions))).positions
                == positions)
        try expectRoundTrip(S.InterestPositions(positions: positions))
        try expectRoundTrip(S.ConnectionsClosed(connections: StageCodecSamples.strings))
    }

    /// The `params` or `result` of a golden fixture.
    func member(_ key: String, of fixture: String, sourceFile: String = #filePath) throws -> ByteBuffer {
        let url = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("HeraldWireTests/Fixtures/\(fixture).json")
        let frame = try JSONScanner.object(ByteBuffer(bytes: try Data(contentsOf: url)))
        return try #require(frame[key]?.value.raw)
    }

    /// Hand and Foundation read the fixture's member as the same value; when the fixture is written with sorted
    /// keys, the hand encoder writes it back exactly.
    func expectFixture<Value: StageCodable>(
        _ type: Value.Type, _ key: String, of fixture: String, sorted: Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Value {
        let quoted = try member(key, of: fixture)
        let hand = try S.decode(type, from: quoted)
        #expect(
            S.encode(hand) == S.encode(try FoundationPath.decode(type, from: quoted)), sourceLocation: sourceLocation)
        if sorted { #expect(String(buffer: S.encode(hand)) == String(buffer: quoted), sourceLocation: sourceLocation) }
        return hand
    }

    @Test func goldenFixturesReadTheSameBothWays() throws {
        let ask = try expectFixture(S.AuthorizeConnect.self, "params", of: "request", sorted: true)
        #expect(ask.token == "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.sig" && ask.connection == nil)
        let verdict = try expectFixture(S.ConnectVerdict.self, "result", of: "response", sorted: false)
        let principal = Principal(
            userID: "42", roles: ["member"], name: "An", expiresAt: 1_752_748_200, tokenID: "tok-9f2c",
            channels: ["team.7.*"])
        #expect(verdict.principal == principal)
        let subscribe = try expectFixture(S.AuthorizeSubscribe.self, "params", of: "request-subscribe", sorted: false)
        #expect(subscribe.principal == principal && subscribe.channel == "team.7.board")
        #expect(try expectFixture(S.SubscribeVerdict.self, "result", of: "response-subscribe", sorted: true).allowed)
        let interest = try expectFixture(S.InterestChange.self, "params", of: "request-interest", sorted: true)
        #expect(interest.add == [.init(channel: "thread.1")] && interest.remove.isEmpty && interest.reset == nil)
        let restated = try expectFixture(S.InterestChange.self, "params", of: "request-interest-reset", sorted: false)
        #expect(restated.reset == true && restated.add.count == 2)
        let positions = try expectFixture(S.InterestPositions.self, "result", of: "response-interest", sorted: true)
        #expect(positions.positions == ["thread.1": ChannelPosition(epoch: "7x9tb3w5n6p0", offset: 12)])
        _ = try expectFixture(S.InterestPositions.self, "result", of: "response-interest-reset", sorted: true)
        let roomCheck = try expectFixture(S.RoomCheck.self, "params", of: "request-room-check", sorted: true)
        #expect(roomCheck == S.RoomCheck(app: "lottery", room: "42"))
        #expect(try expectFixture(S.RoomPresence.self, "result", of: "response-room-check", sorted: true).exists)
    }
}
