import Testing

@testable import HeraldAuthorizer

@Suite struct UserConnectionsTests {
    @Test func refusesTheConnectionOverTheLimitAcrossEdges() {
        var counts = UserConnections<Int>(limit: 2)
        #expect(counts.open("a1", user: "alice", on: 1))
        #expect(counts.open("a2", user: "alice", on: 2))
        #expect(!counts.open("a3", user: "alice", on: 1))
        #expect(counts.count(of: "alice") == 2)
        // Another user is not affected.
        #expect(counts.open("b1", user: "bob", on: 1))
        // Closing one lets the next in.
        counts.close("a1", on: 1)
        #expect(counts.count(of: "alice") == 1)
        #expect(counts.open("a3", user: "alice", on: 1))
    }

    @Test func aRefreshOfACountedConnectionIsNotCountedTwice() {
        var counts = UserConnections<Int>(limit: 1)
        #expect(counts.open("a1", user: "alice", on: 1))
        #expect(counts.open("a1", user: "alice", on: 1))
        #expect(counts.count(of: "alice") == 1)
    }

    @Test func anEdgeThatDisconnectsTakesItsCountsWithItAndRestatesThem() {
        var counts = UserConnections<Int>(limit: 2)
        #expect(counts.open("a1", user: "alice", on: 1))
        #expect(counts.open("a2", user: "alice", on: 1))
        #expect(counts.open("a3", user: "alice", on: 2) == false)
        counts.peerLeft(1)
        #expect(counts.count(of: "alice") == 0)
        #expect(counts.open("a3", user: "alice", on: 2))
        // The edge comes back (a new peer) and restates what is still open: counted even over the limit.
        counts.restate([("a1", "alice"), ("a2", "alice")], on: 3)
        #expect(counts.count(of: "alice") == 3)
        #expect(!counts.open("a4", user: "alice", on: 2))
        counts.restate([("a1", "alice")], on: 3)
        #expect(counts.count(of: "alice") == 3)
        counts.close("a1", on: 3)
        counts.close("a2", on: 3)
        #expect(counts.open("a4", user: "alice", on: 2))
    }

    @Test func closingUnknownConnectionsChangesNothingAndZeroIsUnlimited() {
        var counts = UserConnections<Int>(limit: 0)
        for index in 0..<50 { #expect(counts.open("a\(index)", user: "alice", on: 1)) }
        counts.close("nope", on: 1)
        counts.close("a1", on: 2)
        #expect(counts.count(of: "alice") == 50)
        counts.change(limit: 10)
        #expect(!counts.open("a51", user: "alice", on: 1))
    }
}
