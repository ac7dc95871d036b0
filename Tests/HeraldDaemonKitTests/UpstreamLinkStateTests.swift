import HeraldModel
import NIOCore
import Testing

@testable import HeraldDaemonKit

@Suite struct UpstreamLinkStateTests {
    func id(_ n: Int) -> EventID { EventID(uncheckedRawValue: "evt_\(n)") }
    func frame(_ n: Int) -> ByteBuffer { ByteBuffer(string: "frame-\(n)") }

    @Test func buffersWhileDisconnectedAndResendsInOrderOnConnect() {
        var state = UpstreamLinkState(capacity: 10)
        #expect(state.enqueue(id(1), event: frame(1)) == .buffered)
        #expect(state.enqueue(id(2), event: frame(2)) == .buffered)
        #expect(state.connected() == [frame(1), frame(2)])
        #expect(state.enqueue(id(3), event: frame(3)) == .write)
    }

    @Test func keepsEventsUntilSettledAndResendsUnsettledAfterReconnect() {
        var state = UpstreamLinkState(capacity: 10)
        _ = state.connected()
        for n in 1...3 { _ = state.enqueue(id(n), event: frame(n)) }
        #expect(state.acknowledged([id(1), id(2)]) == [id(1), id(2)])
        #expect(state.acknowledged([id(1)]) == [], "an ack counts once")
        #expect(state.settled([id(1)]) == [id(1)])
        _ = state.disconnected(backoff: Backoff())
        #expect(state.connected() == [frame(2), frame(3)], "acknowledged but unsettled events are resent too")
        #expect(state.unacknowledgedCount == 2, "a resend waits for a new ack")
    }

    @Test func refusesWhenFullAndIgnoresDuplicates() {
        var state = UpstreamLinkState(capacity: 2)
        #expect(state.enqueue(id(1), event: frame(1)) == .buffered)
        #expect(state.enqueue(id(1), event: frame(1)) == .duplicate)
        #expect(state.enqueue(id(2), event: frame(2)) == .buffered)
        #expect(state.enqueue(id(3), event: frame(3)) == .full)
        _ = state.settled([id(1)])
        #expect(state.enqueue(id(3), event: frame(3)) == .buffered)
    }

    @Test func withdrawsOnlyUnacknowledgedEvents() {
        var state = UpstreamLinkState(capacity: 4)
        _ = state.connected()
        _ = state.enqueue(id(1), event: frame(1))
        _ = state.enqueue(id(2), event: frame(2))
        _ = state.acknowledged([id(2)])
        let withdrewUnacknowledged = state.withdraw(id(1))
        let withdrewAcknowledged = state.withdraw(id(2))
        #expect(withdrewUnacknowledged)
        #expect(!withdrewAcknowledged, "the peer may already be publishing an acknowledged event")
        #expect(state.unsettledCount == 1)
    }

    @Test func backsOffExponentiallyAndResetsAfterAConnection() {
        var state = UpstreamLinkState(capacity: 1)
        let backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(300))
        state.connecting()
        #expect(state.disconnected(backoff: backoff) == .milliseconds(50))
        state.connecting()
        #expect(state.disconnected(backoff: backoff) == .milliseconds(100))
        state.connecting()
        #expect(state.disconnected(backoff: backoff) == .milliseconds(200))
        state.connecting()
        #expect(state.disconnected(backoff: backoff) == .milliseconds(300))
        _ = state.connected()
        #expect(state.disconnected(backoff: backoff) == .zero, "a working connection that drops retries at once")
    }

    @Test func aPeerOfAnotherVersionIsRetriedWithBackoffNotInATightLoop() {
        var state = UpstreamLinkState(capacity: 1)
        let backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(300))
        var delays: [Duration] = []
        for _ in 1...3 {
            state.connecting()
            _ = state.connected()
            state.peerIsIncompatible()
            delays.append(state.disconnected(backoff: backoff))
        }
        #expect(delays == [.milliseconds(50), .milliseconds(100), .milliseconds(200)])
        state.connecting()
        _ = state.connected()
        state.peerIsCompatible()
        #expect(state.disconnected(backoff: backoff) == .zero, "once the peer matches, a drop retries at once")
    }
}

@Suite struct RecentEventIDsTests {
    @Test func forgetsTheOldestBeyondCapacity() {
        var recent = RecentEventIDs(capacity: 2)
        let ids = (1...3).map { EventID(uncheckedRawValue: "evt_\($0)") }
        let inserted = [ids[0], ids[0], ids[1], ids[2]].map { recent.insert($0) }
        #expect(inserted == [true, false, true, true])
        #expect(!recent.contains(ids[0]))
        #expect(recent.contains(ids[2]))
        #expect(recent.count == 2)
    }
}

@Suite struct RestartPolicyTests {
    @Test func backsOffWhileCrashingAndResetsWhenStable() {
        var policy = RestartPolicy()
        #expect(policy.exited(after: .seconds(1)) == .milliseconds(100))
        #expect(policy.exited(after: .seconds(1)) == .milliseconds(200))
        #expect(policy.exited(after: .seconds(1)) == .milliseconds(400))
        #expect(policy.exited(after: .seconds(60)) == .milliseconds(100))
    }
}

@Suite struct StageListenersTests {
    @Test func parsesListenOptions() throws {
        let parsed = try StageListeners.parseListenOptions(
            ["http=127.0.0.1:6002", "admin=/tmp/a.sock"], allowed: Stage.ingress.allSockets)
        #expect(parsed == ["http": "127.0.0.1:6002", "admin": "/tmp/a.sock"])
    }

    @Test func refusesUnknownNamesWithTheNamesThatExist() {
        #expect(throws: HeraldError.self) {
            try StageListeners.parseListenOptions(["websocket=:1"], allowed: Stage.ingress.allSockets)
        }
        do {
            _ = try StageListeners.parseListenOptions(["nope"], allowed: ["http"])
        } catch let error as HeraldError {
            #expect(error.message.contains("NAME=ADDRESS"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func runtimeDirectoryDefaults() {
        #expect(RuntimeDirectory(explicit: nil, environment: [:]).path == "/run/herald")
        #expect(
            RuntimeDirectory(explicit: nil, environment: ["XDG_RUNTIME_DIR": "/run/user/1"]).path
                == "/run/user/1/herald")
        #expect(RuntimeDirectory(explicit: "/x", environment: ["HERALD_RUNTIME_DIR": "/y"]).path == "/x")
        #expect(RuntimeDirectory(path: "/r").adminSocket(of: "ws-edge") == "/r/ws-edge-admin.sock")
    }
}
