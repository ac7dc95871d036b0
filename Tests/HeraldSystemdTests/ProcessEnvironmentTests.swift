import Glibc
import Testing

@testable import HeraldSystemd

/// Tests that change this process's environment (`NOTIFY_SOCKET`, `WATCHDOG_*`, `LISTEN_*`), which libsystemd
/// reads. They run one at a time, and no other test reads the environment.
@Suite(.serialized) struct ProcessEnvironmentTests {
    @Test func notifierSendsExactlyTheProtocolDatagrams() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifyListener(path: directory.file("notify.sock"))
        defer { listener.close() }
        let notifier = SystemdNotifier()

        try await withEnvironment(["NOTIFY_SOCKET": listener.path]) {
            #expect(notifier.isEnabled)
            #expect(try notifier.ready())
            try notifier.status("serving\n2 edges")
            try notifier.watchdog()
            try notifier.mainPID(4242)
            try notifier.extendTimeout(by: .milliseconds(1500))
            try notifier.stopping()
            let before = SystemdNotifier.monotonicMicroseconds()
            try notifier.reloading()
            let after = SystemdNotifier.monotonicMicroseconds()

            _ = try await listener.waitFor(timeout: .seconds(5)) { $0.sequence == 7 }
            let received = listener.received
            #expect(
                received.prefix(6).map(\.text) == [
                    "READY=1", "STATUS=serving 2 edges", "WATCHDOG=1", "MAINPID=4242", "EXTEND_TIMEOUT_USEC=1500000",
                    "STOPPING=1",
                ]
            )
            #expect(received.allSatisfy { $0.senderPID == getpid() })
            let reload = received[6]
            #expect(reload.messages.first == .reloading)
            guard case .other("MONOTONIC_USEC", let value) = reload.messages.last, let usec = UInt64(value) else {
                Issue.record("no MONOTONIC_USEC in \(reload.text)")
                return
            }
            #expect((before...after).contains(usec))
            #expect(reload.text == "RELOADING=1\nMONOTONIC_USEC=\(usec)")
        }
    }

    @Test func notifierIsSilentWithoutNotifySocket() async throws {
        try await withEnvironment(["NOTIFY_SOCKET": nil]) {
            let notifier = SystemdNotifier()
            #expect(!notifier.isEnabled)
            let sentReady = try notifier.ready()
            let sentWatchdog = try notifier.watchdog()
            #expect(!sentReady && !sentWatchdog)
        }
    }

    @Test func notifierReportsAVanishedSupervisor() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withEnvironment(["NOTIFY_SOCKET": directory.file("gone.sock")]) {
            #expect {
                try SystemdNotifier().ready()
            } throws: { error in
                ((error as? SystemdError)?.message ?? "").contains("READY=1")
            }
        }
    }

    @Test func watchdogIntervalComesFromTheEnvironmentForThisProcessOnly() async throws {
        try await withEnvironment(["WATCHDOG_USEC": "3000000", "WATCHDOG_PID": String(getpid())]) {
            #expect(SystemdNotifier().watchdogInterval == .seconds(3))
        }
        try await withEnvironment(["WATCHDOG_USEC": "3000000", "WATCHDOG_PID": String(getpid() + 1)]) {
            #expect(SystemdNotifier().watchdogInterval == nil)
        }
        try await withEnvironment(["WATCHDOG_USEC": nil, "WATCHDOG_PID": nil]) {
            #expect(SystemdNotifier().watchdogInterval == nil)
        }
    }

    @Test func watchdogPingsOnlyAfterASuccessfulProbe() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifyListener(path: directory.file("notify.sock"))
        defer { listener.close() }
        let (logger, logs) = CapturingLogHandler.logger()
        let clock = RecordingClock()
        let count = Locked(0)
        struct Wedged: Error, CustomStringConvertible { var description: String { "loop wedged" } }

        try await withEnvironment(["NOTIFY_SOCKET": listener.path]) {
            let loop = WatchdogLoop(interval: .seconds(10), logger: logger)
            let running = Task {
                try await loop.run(clock: clock) {
                    // Three failed rounds, then healthy; the first healthy probe leaves a marker, so any ping
                    // sent before it shows up ahead of the marker.
                    let call = count.update {
                        $0 += 1; return $0
                    }
                    guard call > 3 else { throw Wedged() }
                    if call == 4 { try SystemdNotifier().status("healthy") }
                }
            }
            let ping = try await listener.waitFor(timeout: .seconds(10)) { $0.contains(.watchdog) }
            running.cancel()
            try await running.value

            let upToPing = listener.received.filter { $0.sequence <= ping.sequence }.map(\.text)
            #expect(upToPing == ["STATUS=healthy", "WATCHDOG=1"])
            #expect(ping.senderPID == getpid())
            #expect(clock.sleeps.count >= 3)
            #expect(clock.sleeps.allSatisfy { $0 == .seconds(5) }, "sleeps: \(clock.sleeps)")
            let warnings = logs.all.filter { $0.level == .warning }
            #expect(warnings.count == 3)
            #expect(warnings.first?.error == "loop wedged")
            #expect(warnings.map { $0.metadata["herald.watchdog.failures"] } == ["1", "2", "3"])
            #expect(logs.all.filter { $0.level == .notice }.count == 1)
        }
    }

    @Test func failingProbeNeverPings() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifyListener(path: directory.file("notify.sock"))
        defer { listener.close() }
        let (logger, _) = CapturingLogHandler.logger()
        let probes = AsyncStream.makeStream(of: Int.self)
        let count = Locked(0)

        try await withEnvironment(["NOTIFY_SOCKET": listener.path]) {
            let loop = WatchdogLoop(interval: .seconds(1), logger: logger)
            let running = Task {
                defer { probes.continuation.finish() }
                try await loop.run(clock: RecordingClock()) {
                    probes.continuation.yield(
                        count.update {
                            $0 += 1; return $0
                        })
                    // What EventLoopProbe throws for a wedged loop: a probe failure, not the loop's end.
                    throw SystemdError.timeout("the event loop did not run a task")
                }
            }
            var calls = probes.stream.makeAsyncIterator()
            while let call = await calls.next(), call < 20 {}
            #expect(count.value >= 20)
            running.cancel()
            try await running.value
            // Datagrams arrive in order: once this marker is in, anything the loop sent is in too.
            try SystemdNotifier().status("marker")
            _ = try await listener.waitFor(timeout: .seconds(5)) { $0.status == "marker" }
            #expect(listener.received.map(\.text) == ["STATUS=marker"])
        }
    }

    @Test func watchdogLoopReturnsAtOnceWithoutAnInterval() async throws {
        try await withEnvironment(["WATCHDOG_USEC": nil, "WATCHDOG_PID": nil]) {
            let (logger, _) = CapturingLogHandler.logger()
            let probed = Locked(false)
            try await WatchdogLoop(logger: logger).run { probed.update { $0 = true } }
            #expect(!probed.value)
        }
    }

    @Test func listenedSocketsFromEnvironmentReadsAndUnsetsTheVariables() async throws {
        let variables: [String: String?] = [
            "LISTEN_PID": String(getpid()), "LISTEN_FDS": "2", "LISTEN_FDNAMES": "http:admin",
        ]
        try await withEnvironment(variables) {
            let sockets = try ListenedSockets.fromEnvironment()
            #expect(sockets == ListenedSockets(fileDescriptors: [3, 4], names: ["http", "admin"]))
            #expect(getenv("LISTEN_FDS") == nil)
            #expect(getenv("LISTEN_PID") == nil)
            #expect(getenv("LISTEN_FDNAMES") == nil)
            #expect(try ListenedSockets.fromEnvironment().isEmpty)
        }
    }

    @Test func listenedSocketsIgnoreVariablesMeantForAnotherProcess() async throws {
        let variables: [String: String?] = [
            "LISTEN_PID": String(getpid() + 1), "LISTEN_FDS": "1", "LISTEN_FDNAMES": "http",
        ]
        try await withEnvironment(variables) {
            let sockets = try ListenedSockets.fromEnvironment(unsetEnvironment: false)
            #expect(sockets.isEmpty)
        }
    }

    @Test func listenedSocketsRejectMismatchedNames() async throws {
        let variables: [String: String?] = [
            "LISTEN_PID": String(getpid()), "LISTEN_FDS": "1", "LISTEN_FDNAMES": "http:admin",
        ]
        try await withEnvironment(variables) {
            #expect {
                _ = try ListenedSockets.fromEnvironment(unsetEnvironment: false)
            } throws: { error in
                ((error as? SystemdError)?.message ?? "").contains("FileDescriptorName=")
            }
        }
    }
}
