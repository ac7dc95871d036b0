import HeraldAdmin
import HeraldDaemonKit
import HeraldSystemd
import HeraldTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real `herald-batcher` binary under a fake systemd: socket activation, readiness, the admin socket,
/// status, garbage on its sockets, and a clean stop.
@Suite(.serialized) struct DaemonProcessTests {
    @Test func reportsReadyServesAdminAndStopsCleanly() async throws {
        let daemon = try await DaemonFixture(.batcher)
        let pid = daemon.process.pid
        #expect(daemon.notify.received.contains { $0.senderPID == pid && $0.status?.contains("edges 0") == true })

        let info = try await AdminClient.call(socketPath: daemon.addresses["admin"]!, method: "info")
        #expect(info["stage"] == "batcher")
        #expect(info["pid"]?.intValue == Int64(pid))

        // Garbage on the input socket is answered and closed; the daemon keeps serving.
        for garbage: [UInt8] in [[0, 0, 0, 3, 0x7B, 0x7D, 0x7D], [0xFF, 0xFF, 0xFF, 0xFF]] {
            let answer = try UpstreamLinkTests.exchange(path: daemon.addresses["input"]!, bytes: garbage)
            #expect(String(decoding: answer.dropFirst(4), as: UTF8.self).contains(#""type":"error""#))
        }
        let stats = try await AdminClient.call(socketPath: daemon.addresses["admin"]!, method: "stats")
        #expect(stats["events_in"] == 0)

        let status = await daemon.stopAndCollect()
        #expect(status.exit == HeraldSystemd.ExitStatus.exited(0))
        #expect(status.sawStopping)
    }

    @Test func aMissingSocketIsAClearStartupError() async throws {
        let daemon = try await DaemonFixture(.batcher, sockets: ["input"], readyTimeout: .zero)
        let status = await daemon.process.waitForExit()
        #expect(status == HeraldSystemd.ExitStatus.exited(Daemon.startupExitCode))
        #expect(!daemon.notify.received.contains { $0.contains(.ready) })
    }

    @Test func aBrokenConfigurationExitsWithExConfig() async throws {
        let daemon = try await DaemonFixture(
            .batcher, environment: ["HERALD_LIMITS_CLIENT_EVENTS_PER_MINUTE": "many"], readyTimeout: .zero)
        #expect(await daemon.process.waitForExit() == HeraldSystemd.ExitStatus.exited(Daemon.configurationExitCode))
    }
}

extension DaemonFixture {
    func stopAndCollect() async -> (exit: HeraldSystemd.ExitStatus, sawStopping: Bool) {
        let pid = process.pid
        _ = try? process.signal(SIGTERM)
        let stopping =
            (try? await notify.waitFor(timeout: .seconds(10)) { $0.senderPID == pid && $0.contains(.stopping) }) != nil
        return (await stop(), stopping)
    }
}
