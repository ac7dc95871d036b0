import HeraldModel
import Testing

@Suite struct ModelTests {
    @Test func generatedEventIDsAreValidAndSortByTime() {
        var rng = SystemRandomNumberGenerator()
        let early = EventID.generate(milliseconds: 1_700_000_000_000, using: &rng)
        let late = EventID.generate(milliseconds: 1_700_000_000_001, using: &rng)
        #expect(early.rawValue.hasPrefix("evt_"))
        #expect(early.rawValue.count == 30)
        #expect(EventID(early.rawValue) != nil)
        #expect(early < late)
    }

    @Test func generatedEventIDsCarryEightyRandomBitsFromTwoDraws() {
        var drawn = ScriptedRandom(values: [.max, 0])
        let id = EventID.generate(milliseconds: 0, using: &drawn)
        #expect(id.rawValue == "evt_0000000000" + "ZZZZZZZZZZZZY000")
        #expect(drawn.values.isEmpty)
    }

    @Test func pooledRandomnessDoesNotRepeatAcrossRefills() {
        var random = PooledRandomNumberGenerator()
        let draws = (0..<2_000).map { _ in random.next() }
        #expect(Set(draws).count == draws.count)
        #expect(Set((0..<1_000).map { _ in EventID.generate() }).count == 1_000)
    }

    @Test func eventIDRejectsOddCharacters() {
        #expect(EventID("evt 1") == nil)
        #expect(EventID("") == nil)
        #expect(EventID(String(repeating: "a", count: 65)) == nil)
    }

    @Test func namesFollowTheContract() {
        #expect(EventName.isValid("forum.comment.created"))
        #expect(EventName.isValid("order:created"))
        #expect(!EventName.isValid("bad name"))
        #expect(ChannelName.isValid("#server-to-user-42"))
        #expect(ChannelName.isValid("presence-thread.1"))
        #expect(!ChannelName.isValid("thread/1"))
        #expect(!ChannelName.isValid(String(repeating: "c", count: 201)))
    }

    @Test func seedPriorityTable() {
        let table = PriorityTable.seed
        #expect(table.priority(for: "messaging.message.sent") == .high)
        #expect(table.priority(for: "marketplace.order.status_changed") == .high)
        #expect(table.priority(for: "forum.thread.view_count_updated") == .low)
        #expect(table.priority(for: "forum.comment.created") == .medium)
    }

    @Test func globMatchesMiddleParts() {
        #expect(GlobPattern("a*b*c").matches("aXXbYYc"))
        #expect(!GlobPattern("a*b*c").matches("aXXcYYb"))
        #expect(GlobPattern("*").matches(""))
        #expect(!GlobPattern("ab*ba").matches("aba"))
    }

    @Test func audienceFilters() {
        let admin = Principal(userID: "1", roles: ["admin"])
        let member = Principal(userID: "2", roles: ["member"])
        #expect(Audience().admits(member, socketID: "s"))
        #expect(!Audience(roles: ["admin"]).admits(member, socketID: "s"))
        #expect(Audience(roles: ["admin"]).admits(admin, socketID: "s"))
        #expect(!Audience(excludeSocketID: "s").admits(admin, socketID: "s"))
        #expect(!Audience(userIDs: ["1"], excludeUserIDs: ["1"]).admits(admin, socketID: "x"))
    }

    @Test func ownersJoinTheRolesGrant() {
        let admin = Principal(userID: "1", roles: ["admin"])
        let owner = Principal(userID: "2", roles: ["member"])
        let other = Principal(userID: "3", roles: ["member"])
        let grant = Audience(roles: ["admin"], owners: ["2"])
        #expect(grant.admits(admin, socketID: "s"))
        #expect(grant.admits(owner, socketID: "s"))
        #expect(!grant.admits(other, socketID: "s"))
        #expect(!grant.admits(nil, socketID: "s"))
        #expect(Audience(roles: [], owners: ["2"]).admits(owner, socketID: "s"))
        #expect(!Audience(roles: [], owners: ["2"]).admits(admin, socketID: "s"))
        #expect(!Audience(roles: ["admin"], owners: ["2"], excludeUserIDs: ["2"]).admits(owner, socketID: "s"))
        #expect(!Audience(owners: ["2"]).isEveryone)
    }

    @Test func rfc3339() {
        #expect(Clock.rfc3339(milliseconds: 1_752_748_200_000) == "2025-07-17T10:30:00Z")
    }
}

@Suite struct NameAlphabetTests {
    @Test func everyByteIsJudgedByItsTable() {
        for byte in UInt8(0)...UInt8(127) {
            let text = "a" + String(UnicodeScalar(byte))
            let alphanumeric = (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
            #expect(EventName.isValid(text) == (alphanumeric || "_.:-".utf8.contains(byte)), "byte \(byte)")
            #expect(ChannelName.isValid(text) == (alphanumeric || "_.:@=,-#".utf8.contains(byte)), "byte \(byte)")
            #expect((EventID(text) != nil) == (alphanumeric || "_-".utf8.contains(byte)), "byte \(byte)")
        }
        #expect(!ChannelName.isValid("thread.é"))
        #expect(EventName.isValid(String(repeating: "a", count: 200)))
        #expect(!EventName.isValid(String(repeating: "a", count: 201)))
    }
}

/// Returns the given values in order.
private struct ScriptedRandom: RandomNumberGenerator {
    var values: [UInt64]
    mutating func next() -> UInt64 { values.removeFirst() }
}
