import HeraldDaemonKit
import HeraldModel
import HeraldTestSupport
import NIOCore
import Testing

/// The hand-written codec writes exactly the bytes Foundation's `JSONEncoder` wrote for the same value
/// (`[.sortedKeys, .withoutEscapingSlashes]`), so peers of an older version read the same text.
@Suite("Stage codec: encoding is byte-identical to Foundation's")
struct StageCodecEncodingTests {
    typealias S = StageRequests
    let strings = StageCodecSamples.strings

    /// Hand-encoded and Foundation-encoded `value` are the same bytes.
    func expectSameBytes<Value: StageCodable>(_ value: Value, sourceLocation: SourceLocation = #_sourceLocation) {
        let hand = StageRequests.encode(value)
        let foundation = FoundationPath.encode(value)
        #expect(
            Array(hand.readableBytesView) == Array(foundation.readableBytesView),
            "hand \(String(buffer: hand))\nfoundation \(String(buffer: foundation))", sourceLocation: sourceLocation)
    }

    /// The comparisons below mean something only if the two paths differ: Foundation's decoder words its
    /// errors differently from the hand codec's.
    @Test func theTwoPathsAreDistinct() {
        let empty = ByteBuffer(string: "{}")
        let foundation = #expect(throws: HeraldError.self) {
            try FoundationPath.decode(S.AuthorizeConnect.self, from: empty)
        }
        let hand = #expect(throws: HeraldError.self) { try S.decode(S.AuthorizeConnect.self, from: empty) }
        #expect(foundation?.message.hasPrefix("malformed AuthorizeConnect") == true)
        #expect(hand?.message == "authorize-connect: token: missing")
    }

    @Test func principalsInAConnectAnswer() {
        let principals = StageCodecSamples.principals()
        #expect(principals.count > 300)
        for principal in principals {
            expectSameBytes(principal)
            expectSameBytes(S.ConnectVerdict(principal: principal))
        }
    }

    @Test func theDocumentedAnswerIsSortedByKey() {
        let principal = Principal(
            userID: "42", roles: ["member"], name: "An", expiresAt: 1_752_748_200, tokenID: "tok-9f2c",
            channels: ["team.7.*"])
        #expect(
            String(buffer: S.encode(S.ConnectVerdict(principal: principal)))
                == #"{"principal":{"channels":["team.7.*"],"expires_at":1752748200,"name":"An","roles":["member"],"#
                + #""token_id":"tok-9f2c","user_id":"42"}}"#)
    }

    @Test func authorizeConnectWithAndWithoutItsConnection() {
        for token in strings {
            expectSameBytes(S.AuthorizeConnect(token: token))
            for connection in strings { expectSameBytes(S.AuthorizeConnect(token: token, connection: connection)) }
        }
    }

    @Test func authorizeSubscribeWithEveryOptionalMemberAbsentOrPresent() {
        let principals = StageCodecSamples.principals()
        for (index, principal) in principals.enumerated() {
            let text = strings[index % strings.count]
            expectSameBytes(S.AuthorizeSubscribe(principal: principal, channel: text))
            expectSameBytes(S.AuthorizeSubscribe(principal: principal, channel: text, token: text))
            expectSameBytes(S.AuthorizeSubscribe(principal: principal, channel: text, socketID: text))
            expectSameBytes(S.AuthorizeSubscribe(principal: principal, channel: "c", token: text, socketID: "1.2"))
        }
    }

    @Test func subscribeVerdicts() {
        expectSameBytes(S.SubscribeVerdict(allowed: true))
        expectSameBytes(S.SubscribeVerdict(allowed: false))
    }

    @Test func interestChanges() {
        expectSameBytes(S.InterestChange())
        for reset in [nil, true, false] {
            expectSameBytes(S.InterestChange(reset: reset))
            expectSameBytes(S.InterestChange(reset: reset, add: [.init(channel: "thread.1")], remove: ["a", "b"]))
        }
        for (index, text) in strings.enumerated() {
            let offset = StageCodecSamples.numbers[index % StageCodecSamples.numbers.count]
            let entries: [S.InterestChange.Entry] = [
                .init(channel: text), .init(channel: text, epoch: text), .init(channel: text, offset: offset),
                .init(channel: text, epoch: "7x9tb3w5n6p0", offset: offset),
            ]
            for entry in entries { expectSameBytes(entry) }
            expectSameBytes(S.InterestChange(reset: index % 2 == 0, add: entries, remove: [text, text]))
            expectSameBytes(S.InterestChange(add: [], remove: [text]))
        }
    }

    @Test func randomInterestChanges() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            let add = (0..<Int(generator.next() % 5)).map { _ in
                S.InterestChange.Entry(
                    channel: StageCodecSamples.randomString(&generator),
                    epoch: generator.coin() ? StageCodecSamples.randomString(&generator) : nil,
                    offset: generator.coin() ? Int64(bitPattern: generator.next()) : nil)
            }
            let reset: Bool? = generator.coin() ? generator.coin() : nil
            expectSameBytes(
                S.InterestChange(reset: reset, add: add, remove: StageCodecSamples.randomStrings(&generator)))
        }
    }

    @Test func interestPositionsInUTF8OrderOfTheirChannels() {
        expectSameBytes(S.InterestPositions(positions: [:]))
        var positions: [String: ChannelPosition] = [:]
        for (index, key) in (StageCodecSamples.keys + strings).enumerated() {
            let offset = StageCodecSamples.numbers[index % StageCodecSamples.numbers.count]
            positions[key] = ChannelPosition(epoch: strings[index % strings.count], offset: offset)
            expectSameBytes(positions[key]!)
            expectSameBytes(S.InterestPositions(positions: [key: positions[key]!]))
        }
        expectSameBytes(S.InterestPositions(positions: positions))
        let single = Array(
            S.encode(S.InterestPositions(positions: ["a9": .init(epoch: "e", offset: 1)])).readableBytesView)
        #expect(single == Array(#"{"positions":{"a9":{"epoch":"e","offset":1}}}"#.utf8))
    }

    @Test func randomInterestPositions() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            var positions: [String: ChannelPosition] = [:]
            for _ in 0..<Int(generator.next() % 8) {
                positions[StageCodecSamples.randomString(&generator)] = ChannelPosition(
                    epoch: StageCodecSamples.randomString(&generator), offset: Int64(bitPattern: generator.next()))
            }
            expectSameBytes(S.InterestPositions(positions: positions))
        }
    }

    @Test func connectionsClosed() {
        expectSameBytes(S.ConnectionsClosed(connections: []))
        expectSameBytes(S.ConnectionsClosed(connections: strings))
        expectSameBytes(S.ConnectionsClosed(connections: ["1538972513.1078442970"]))
    }
}
