import Glibc

/// A plain OS thread for work that blocks in a system call (`waitid`, `poll`), so it never occupies one of
/// Swift concurrency's few cooperative threads.
struct BlockingThread: Sendable {
    private let handle: pthread_t

    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts `body` on a new thread. Call `join()` or `detach()` exactly once.
    static func start(_ body: @escaping @Sendable () -> Void) throws -> BlockingThread {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(
            &handle,
            nil,
            { context in
                Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            },
            context
        )
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw SystemdError.systemCall(
                "pthread_create",
                errno: result,
                doing: "starting a thread",
                advice: "the process or user has too many threads; raise TasksMax= or the ulimit"
            )
        }
        return BlockingThread(handle: handle)
    }

    /// Waits for the thread to finish.
    func join() {
        pthread_join(self.handle, nil)
    }

    /// Lets the thread finish on its own.
    func detach() {
        pthread_detach(self.handle)
    }
}
