import HeraldModel
import HeraldWire
import NIOCore
import Synchronization

/// The edge's typing timers (`TypingTimers`), run on one event loop: when an indicator expires, its
/// `<prefix>.typing.stopped` is published like a client's event. A typist who disconnects leaves its timers
/// running; they fire at expiry as usual.
final class TypingScheduler: Sendable {
    private struct State {
        var timers: TypingTimers
        var wakeup: Scheduled<Void>?
        var wakeupAt: Int64?
    }

    let loop: any EventLoop
    private let state: Mutex<State>
    private let publish: @Sendable (WireEvent) -> Void
    private let wallMilliseconds: @Sendable () -> Int64

    init(
        loop: any EventLoop, capacity: Int = 100_000,
        wallMilliseconds: @escaping @Sendable () -> Int64 = {
            Clock.wallMilliseconds()
        }, publish: @escaping @Sendable (WireEvent) -> Void
    ) {
        self.loop = loop
        self.state = Mutex(State(timers: TypingTimers(capacity: capacity)))
        self.publish = publish
        self.wallMilliseconds = wallMilliseconds
    }

    var count: Int { state.withLock { $0.timers.count } }

    func apply(_ update: TypingUpdate) {
        state.withLock { state in
            state.timers.apply(update)
            schedule(&state)
        }
    }

    /// Publishes what expired, then waits for the next deadline.
    private func fire() {
        let now = wallMilliseconds()
        let due = state.withLock { state in
            state.wakeup = nil
            state.wakeupAt = nil
            let due = state.timers.due(now: now)
            schedule(&state)
            return due
        }
        for stop in due { publish(stop.event(id: EventID.generate(), milliseconds: now)) }
    }

    /// Keeps one scheduled task, at the earliest deadline.
    private func schedule(_ state: inout State) {
        guard let next = state.timers.nextDeadline else {
            state.wakeup?.cancel()
            state.wakeup = nil
            state.wakeupAt = nil
            return
        }
        if let at = state.wakeupAt, at <= next { return }
        state.wakeup?.cancel()
        let delay = max(0, next - wallMilliseconds())
        state.wakeupAt = next
        state.wakeup = loop.scheduleTask(in: .milliseconds(delay)) { [self] in fire() }
    }
}
