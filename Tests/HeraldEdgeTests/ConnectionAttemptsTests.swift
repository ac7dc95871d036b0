import HeraldModel
import NIOCore
import Synchronization
import Testing

@testable import HeraldEdge

@Suite struct ConnectionAttemptsTests {
    final class ManualTime: Sendable {
        private let current = Mutex(NIODeadline.uptimeNanoseconds(1_000_000_000_000))
        var now: NIODeadline { current.withLock { $0 } }
        func advance(_ amount: TimeAmount) { current.withLock { $0 = $0 + amount } }
    }

    let client = try! SocketAddress(ipAddress: "192.0.2.7", port: 40_000)
    let other = try! SocketAddress(ipAddress: "192.0.2.8", port: 40_001)

    @Test func refusesTheAttemptOverTheLimitWithRetryAfterThenRefills() {
        let time = ManualTime()
        let attempts = ConnectionAttempts(limit: 3, now: { time.now })
        for _ in 0..<3 { #expect(attempts.admit(from: client, limit: 3) == nil) }
        let refusal = attempts.admit(from: client, limit: 3)
        #expect(refusal?.code == .rateLimitExceeded)
        #expect(refusal?.status == 429)
        #expect(refusal?.retryAfterSeconds == 20)
        #expect(refusal?.message.contains("limits.connection_attempts_per_ip_per_minute") == true)
        // Another address has its own window.
        #expect(attempts.admit(from: other, limit: 3) == nil)
        time.advance(.seconds(20))
        #expect(attempts.admit(from: client, limit: 3) == nil)
        #expect(attempts.admit(from: client, limit: 3) != nil)
    }

    @Test func aPortIsNotPartOfTheKey() throws {
        let time = ManualTime()
        let attempts = ConnectionAttempts(limit: 1, now: { time.now })
        #expect(attempts.admit(from: client, limit: 1) == nil)
        let samePeer = try SocketAddress(ipAddress: "192.0.2.7", port: 40_002)
        #expect(attempts.admit(from: samePeer, limit: 1) != nil)
    }

    @Test func zeroAndUnixSocketsAreUnlimited() throws {
        let time = ManualTime()
        let attempts = ConnectionAttempts(limit: 0, now: { time.now })
        for _ in 0..<100 { #expect(attempts.admit(from: client, limit: 0) == nil) }
        let unix = try SocketAddress(unixDomainSocketPath: "/tmp/herald-test.sock")
        for _ in 0..<5 { #expect(attempts.admit(from: unix, limit: 1) == nil) }
        #expect(attempts.admit(from: nil, limit: 1) == nil)
    }

    @Test func aReloadedLimitStartsEveryAddressOver() {
        let time = ManualTime()
        let attempts = ConnectionAttempts(limit: 1, now: { time.now })
        #expect(attempts.admit(from: client, limit: 1) == nil)
        #expect(attempts.admit(from: client, limit: 1) != nil)
        #expect(attempts.admit(from: client, limit: 2) == nil)
    }
}
