import Testing

@testable import HeraldAuthorizer

@Suite struct UserConnectionsTests {
    @Test func refusesTheConnectionOverTheLimitAcrossEdges() {
        var counts = UserConnections<Int>(limit: 2)
        var admitted = false
        admitted = counts.open("a1", user: "alice", on: 1)
        #expect(admitted)
        admitted = counts.open("a2", user: "alice", on: 2)
        #expect(admitted)
        admitted = counts.open("a3", user: "alice", on: 1)
        #expect(!admitted)
        #expect(counts.count(of: "alice") == 2)
        // Another user is not affected.
        admitted = counts.open("b1", user: "bob", on: 1)
        #expect(admitted)
        // Closing one lets the next in.
        counts.close("a1", on: 1)
        #expect(counts.count(of: "alice") == 1)
        admitted = counts.open("a3", user: "alice", on: 1)
        #expect(admitted)
    }

    @Test func aRefreshOfACountedConnectionIsNotCountedTwice() {
        var counts = UserConnections<Int>(limit: 1)
        var admitted = false
        admitted = counts.open("a1", user: "alice", on: 1)
        #expect(admitted)
        admitted = counts.open("a1", user: "alice", on: 1)
        #expect(admitted)
        #expect(counts.count(of: "alice") == 1)
    }

    @Test func anEdgeThatDisconnectsTakesItsCountsWithItAndRestatesThem() {
        var counts = UserConnections<Int>(limit: 2)
        var admitted = false
        admitted = counts.open("a1", user: "alice", on: 1)
        #expect(admitted)
        admitted = counts.open("a2", user: "alice", on: 1)
        #expect(admitted)
        admitted = counts.open("a3", user: "alice", on: 2)
        #expect(!admitted)
        counts.peerLeft(1)
        #expect(counts.count(of: "alice") == 0)
        admitted = counts.open("a3", user: "alice", on: 2)
        #expect(admitted)
        // The edge comes back (a new peer) and restates what is still open: counted even over the limit.
        counts.restate([("a1", "alice"), ("a2", "alice")], on: 3)
        #expect(counts.count(of: "alice") == 3)
        admitted = counts.open("a4", user: "alice", on: 2)
        #expect(!admitted)
        counts.restate([("a1", "alice")], on: 3)
        #expect(counts.count(of: "alice") == 3)
        counts.close("a1", on: 3)
        counts.close("a2", on: 3)
        admitted = counts.open("a4", user: "alice", on: 2)
        #expect(admitted)
    }

    @Test func closingUnknownConnectionsChangesNothingAndZeroIsUnlimited() {
        var counts = UserConnections<Int>(limit: 0)
        var admitted = false
        for index in 0..<50 {
            admitted = counts.open("a\(index)", user: "alice", on: 1)
            #expect(admitted)
        }
        counts.close("nope", on: 1)
        counts.close("a1", on: 2)
        #expect(counts.count(of: "alice") == 50)
        counts.change(limit: 10)
        admitted = counts.open("a51", user: "alice", on: 1)
        #expect(!admitted)
    }
}
