import NIOCore
import Synchronization

/// Health probes for `WatchdogLoop`.
public enum EventLoopProbe {
    /// Succeeds when `loop` runs a submitted closure within `timeout`, proving it is not blocked or starved.
    ///
    /// The timeout runs off the loop, so a wedged loop is detected rather than waited on forever.
    ///
    /// - Throws: `SystemdError` (`isTimeout`) when the loop did not answer in time; the loop's error when it
    ///   is shut down.
    public static func roundTrip(_ loop: any EventLoop, timeout: Duration = .seconds(2)) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let pending = Mutex<CheckedContinuation<Void, any Error>?>(continuation)
            let timer = Task {
                do {
                    try await Task.sleep(for: timeout)
                } catch {
                    return
                }
                pending.withLock { $0.take() }?.resume(
                    throwing: SystemdError.timeout(
                        "the event loop did not run a task within \(timeout); it is blocked or overloaded"
                    )
                )
            }
            loop.submit {}.whenComplete { result in
                timer.cancel()
                pending.withLock { $0.take() }?.resume(with: result)
            }
        }
    }
}
