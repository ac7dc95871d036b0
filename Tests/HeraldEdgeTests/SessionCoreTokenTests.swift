import HeraldModel
import HeraldWire
import NIOCore
import Testing

@testable import HeraldEdge

/// Token expiry, refresh and revocation on an open connection, on a manual clock.
@Suite struct SessionCoreTokenTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
    /// The wall clock at `start`: 1,000,000 s since the epoch.
    let wall: Int64 = 1_000_000_000
    let timing = SessionCore.Timing(
        heartbeatInterval: .seconds(25), heartbeatTimeout: .seconds(20), authenticationTimeout: .seconds(10))

    func principal(user: String = "42", expiresAt: Int64?, tokenID: String = "t1") -> Principal {
        Principal(userID: user, roles: ["member"], expiresAt: expiresAt, tokenID: tokenID)
    }

    func open(_ principal: Principal) -> SessionCore {
        var session = SessionCore(
            connectionID: "c", principal: principal, timing: timing, now: start, wallMilliseconds: wall)
        _ = session.start()
        return session
    }

    @Test func aLongTokenHearsTheNotice60SecondsBeforeExpiry() {
        var session = open(principal(expiresAt: 1_000_000 + 600))
        #expect(session.nextWakeup == start + .seconds(25))
        _ = session.tick(now: start + .seconds(25))
        session.heard(now: start + .seconds(530))
        #expect(!session.tick(now: start + .seconds(539)).contains(.send(.tokenExpiring(expiresAt: 1_000_600))))
        #expect(session.tick(now: start + .seconds(540)) == [.send(.tokenExpiring(expiresAt: 1_000_600))])
        #expect(session.nextWakeup <= start + .seconds(600))
    }

    @Test func aShortTokenHearsItHalfwayThenExpiresWith4001() {
        var session = open(principal(expiresAt: 1_000_000 + 10))
        #expect(session.nextWakeup == start + .seconds(5))
        #expect(session.tick(now: start + .seconds(5)) == [.send(.tokenExpiring(expiresAt: 1_000_010))])
        #expect(session.nextWakeup == start + .seconds(10))
        #expect(
            session.tick(now: start + .seconds(10)) == [
                .send(.error(code: .tokenExpired, message: "Token expired")),
                .close(.authenticationFailed, reason: "Token expired"),
            ])
        #expect(session.phase == .closed)
    }

    @Test func withoutExpOrWallClockNothingExpires() {
        var session = open(principal(expiresAt: nil))
        #expect(session.nextWakeup == start + .seconds(25))
        var noClock = SessionCore(
            connectionID: "c", principal: principal(expiresAt: 1_000_001), timing: timing, now: start)
        _ = noClock.start()
        #expect(noClock.lifetime == nil)
        _ = session.tick(now: start + .seconds(1))
    }

    @Test func refreshSwapsThePrincipalAndTheExpiry() {
        var session = open(principal(expiresAt: 1_000_010))
        let id = CommandID(json: "7")
        #expect(
            session.receive(.refresh(id: id, token: "Bearer new"), serverTime: wall + 4000) == [
                .authorizeConnect(token: "new")
            ])
        let fresh = principal(expiresAt: 1_003_600, tokenID: "t2")
        #expect(
            session.connectVerdict(.success(fresh), serverTime: wall + 4000) == [
                .principalChanged(fresh), .send(.ack(id: id, result: .refreshed(expiresAt: 1_003_600))),
            ])
        #expect(session.principal == fresh)
        #expect(session.tick(now: start + .seconds(10)).isEmpty)
        #expect(session.phase == .open)
    }

    @Test func refreshForAnotherUserOrARefusedTokenKeepsTheOldToken() {
        var session = open(principal(expiresAt: 1_000_010))
        let id = CommandID(json: "1")
        _ = session.receive(.refresh(id: id, token: "x"), serverTime: wall)
        let other = session.connectVerdict(.success(principal(user: "43", expiresAt: 1_009_999)), serverTime: wall)
        #expect(other.count == 1)
        guard case .send(.refused(id, .authenticationFailed, _)) = other.first else {
            Issue.record("expected a refusal, got \(other)")
            return
        }
        _ = session.receive(.refresh(id: id, token: "x"), serverTime: wall)
        #expect(
            session.connectVerdict(.failure(WireFailure(.tokenExpired, "Token expired")), serverTime: wall) == [
                .send(.refused(id: id, code: .tokenExpired, message: "Token expired"))
            ])
        #expect(session.principal?.userID == "42")
        #expect(session.phase == .open)
    }

    @Test func revocationSaysAuthenticationFailedAndCloses4001() {
        var session = open(principal(expiresAt: nil))
        #expect(
            session.terminate(.authenticationFailed, reason: "Token revoked") == [
                .send(.error(code: .authenticationFailed, message: "Token revoked")),
                .close(.authenticationFailed, reason: "Token revoked"),
            ])
        #expect(session.terminate(.goingAway, reason: "x").isEmpty)
    }
}
