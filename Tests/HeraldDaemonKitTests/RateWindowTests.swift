import HeraldDaemonKit
import NIOCore
import Testing

@Suite("Rate windows with a manual clock")
struct RateWindowTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func burstsUpToTheLimitThenWaitsForTheRefill() {
        var window = RateWindow(limit: 3, per: .minutes(1), now: start)
        for _ in 0..<3 { #expect(window.admit(now: start) == nil) }
        let wait = window.admit(now: start)
        #expect(wait == .seconds(20))
        #expect(wait?.retryAfterSeconds == 20)
        #expect(window.admit(now: start + .seconds(19)) != nil)
        #expect(window.admit(now: start + .seconds(20)) == nil)
    }

    @Test func waitTakesNothing() {
        var window = RateWindow(limit: 1, per: .minutes(1), now: start)
        #expect(window.wait(now: start) == nil)
        #expect(window.wait(now: start) == nil)
        window.take()
        #expect(window.wait(now: start) != nil)
        #expect(!window.isFull(now: start + .seconds(59)))
        #expect(window.isFull(now: start + .seconds(60)))
    }

    @Test func zeroIsUnlimited() {
        var window = RateWindow(limit: 0, now: start)
        for _ in 0..<10_000 { #expect(window.admit(now: start) == nil) }
    }

    @Test func retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        #expect(TimeAmount.milliseconds(1).retryAfterSeconds == 1)
        #expect(TimeAmount.milliseconds(1_001).retryAfterSeconds == 2)
        #expect(TimeAmount.zero.retryAfterSeconds == 1)
    }

    @Test func keyedWindowsAreIndependentAndForgetFullOnes() {
        var windows = KeyedRateWindows<String>(limit: 1, per: .minutes(1), sweepInterval: 2)
        #expect(windows.admit("a", now: start) == nil)
        #expect(windows.admit("a", now: start) != nil)
        #expect(windows.admit("b", now: start) == nil)
        #expect(windows.count == 2)
        #expect(windows.admit("c", now: start + .minutes(1)) == nil)
        #expect(windows.admit("d", now: start + .minutes(2)) == nil)
        #expect(windows.count <= 2, "full windows of a and b are swept")
        windows.change(limit: 0)
        for _ in 0..<100 { #expect(windows.admit("a", now: start) == nil) }
    }
}
