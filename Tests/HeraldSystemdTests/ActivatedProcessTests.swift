import Glibc
import HeraldSystemd
import Testing

/// The child's environment: explicit, so these tests never read `environ` while the serialized environment
/// tests change it.
private let childEnvironment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]

/// Checks everything a socket-activated daemon relies on, then reports READY=1 like sd_notify does.
private let activatedChild = #"""
    import os, socket, stat, sys
    port = int(sys.argv[1])
    assert os.environ["LISTEN_PID"] == str(os.getpid()), ("LISTEN_PID", os.environ.get("LISTEN_PID"), os.getpid())
    assert os.environ["LISTEN_FDS"] == "2", os.environ.get("LISTEN_FDS")
    assert os.environ["LISTEN_FDNAMES"] == "http:admin", os.environ.get("LISTEN_FDNAMES")
    assert "WATCHDOG_PID" not in os.environ
    for fd, family in ((3, socket.AF_INET), (4, socket.AF_UNIX)):
        assert stat.S_ISSOCK(os.fstat(fd).st_mode), fd
        assert os.get_inheritable(fd), ("fd has FD_CLOEXEC", fd)
        s = socket.socket(fileno=fd)
        assert s.family == family, (fd, s.family)
        assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1, ("not listening", fd)
        s.detach()
    # fd 3 is the parent's listening socket: a connection to its port is accepted here.
    client = socket.create_connection(("127.0.0.1", port))
    http = socket.socket(fileno=3)
    conn, _ = http.accept()
    conn.close(); client.close(); http.detach()
    leaked = []
    for fd in range(5, 4096):
        try:
            os.fstat(fd)
            leaked.append(fd)
        except OSError:
            pass
    assert not leaked, ("leaked descriptors", leaked)
    assert os.read(0, 1) == b"", "stdin is not /dev/null"
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.sendto(b"READY=1\nSTATUS=checked", os.environ["NOTIFY_SOCKET"])
    """#

/// Runs a Python script as an activated child and returns how it ended, with its stderr for the failure message.
private func runPython(
    _ script: String, arguments: [String] = [], sockets: [(name: String, fd: CInt)] = [],
    notifySocketPath: String? = nil, environment: [String: String] = childEnvironment
) async throws -> (process: ActivatedProcess, status: HeraldSystemd.ExitStatus, stderr: String) {
    let errors = TestPipe()
    let process = try ActivatedProcess.spawn(
        executable: "/usr/bin/python3",
        arguments: ["-c", script] + arguments,
        sockets: sockets,
        notifySocketPath: notifySocketPath,
        environment: environment,
        standardError: errors.writeEnd
    )
    errors.closeWriteEnd()
    let status = await process.waitForExit()
    return (process, status, errors.readAllAndClose())
}

@Suite struct ActivatedProcessTests {
    @Test func passesSocketsAndEnvironmentLikeSystemd() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let listener = try NotifyListener(path: directory.file("notify.sock"))
        defer { listener.close() }
        let http = try SocketBinder.bindTCP(host: "127.0.0.1", port: 0)
        defer { close(http) }
        let admin = try SocketBinder.bindUnix(path: directory.file("admin.sock"))
        defer { close(admin) }
        // The child sends READY=1 as its last act, so its exit comes first; a failing child exits early too,
        // and its stderr says why.
        let (process, status, stderr) = try await runPython(
            activatedChild, arguments: [String(try SocketBinder.boundPort(of: http))],
            sockets: [("http", http), ("admin", admin)], notifySocketPath: listener.path,
            environment: childEnvironment.merging(["LISTEN_FDS": "9", "WATCHDOG_PID": "1"]) { $1 })
        try #require(status == .exited(0), "child stderr:\n\(stderr)")
        let ready = try await listener.waitFor(timeout: .seconds(10)) { $0.contains(.ready) }

        #expect(ready.senderPID == process.pid)
        #expect(ready.status == "checked")
        #expect(process.exitStatus == .exited(0))
        // The parent's descriptors stay open and usable after the child is gone.
        #expect(fcntl(http, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(admin, F_GETFD) & FD_CLOEXEC != 0)
    }

    @Test func childInheritsNoUnrelatedDescriptor() async throws {
        let closeOnExec = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let inheritable = open("/dev/null", O_RDONLY)
        defer {
            close(closeOnExec)
            close(inheritable)
        }
        #expect(closeOnExec > 2 && inheritable > 2)
        let script = """
            import os, sys
            for fd in map(int, sys.argv[1:]):
                try:
                    os.fstat(fd)
                    sys.exit("fd %d was inherited" % fd)
                except OSError:
                    pass
            """
        let (_, status, stderr) = try await runPython(script, arguments: [String(closeOnExec), String(inheritable)])
        #expect(status == .exited(0), "child stderr:\n\(stderr)")
    }

    @Test func socketsLandInTheGivenOrderNotByNumber() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try SocketBinder.bindUnix(path: directory.file("a.sock"))
        let second = try SocketBinder.bindUnix(path: directory.file("b.sock"))
        defer {
            close(first)
            close(second)
        }
        let script = """
            import socket, sys
            names = [socket.socket(fileno=fd).getsockname() for fd in (3, 4)]
            assert names == sys.argv[1:], (names, sys.argv[1:])
            """
        let (_, status, stderr) = try await runPython(
            script, arguments: [directory.file("b.sock"), directory.file("a.sock")],
            sockets: [("b", second), ("a", first)])
        #expect(status == .exited(0), "child stderr:\n\(stderr)")
    }

    @Test func setsWatchdogVariablesForTheChild() async throws {
        let output = TestPipe()
        let process = try ActivatedProcess.spawn(
            executable: "/usr/bin/python3",
            arguments: [
                "-c", "import os; print(os.environ['WATCHDOG_USEC'], os.environ['WATCHDOG_PID'] == str(os.getpid()))",
            ],
            watchdogInterval: .milliseconds(2500),
            environment: childEnvironment,
            standardOutput: output.writeEnd
        )
        output.closeWriteEnd()
        #expect(await process.waitForExit() == .exited(0))
        #expect(output.readAllAndClose() == "2500000 True\n")
    }

    @Test func signalStopsTheProcessAndReportsTheSignal() async throws {
        let output = TestPipe()
        let process = try ActivatedProcess.spawn(
            executable: "/usr/bin/python3",
            arguments: ["-c", "import signal, sys; print('up', flush=True); signal.pause()"],
            environment: childEnvironment,
            standardOutput: output.writeEnd,
            newProcessGroup: true
        )
        output.closeWriteEnd()
        // Wait until the child runs (it has reset SIGTERM to default) before signalling.
        var byte: UInt8 = 0
        #expect(read(output.readEnd, &byte, 1) == 1)
        #expect(getpgid(process.pid) == process.pid)
        #expect(process.exitStatus == nil)
        #expect(try process.signal(SIGTERM))
        #expect(await process.waitForExit() == .signaled(SIGTERM))
        #expect(await process.waitForExit() == .signaled(SIGTERM))
        #expect(try process.signal(SIGTERM) == false)
        #expect(ExitStatus.signaled(SIGTERM).description == "killed by SIGTERM")
        _ = output.readAllAndClose()
    }

    @Test func reportsExitCodes() async throws {
        let process = try ActivatedProcess.spawn(executable: "/bin/sh", arguments: ["-c", "exit 3"], environment: [:])
        #expect(await process.waitForExit() == .exited(3))
    }

    @Test func refusesAMissingExecutableAndBadNames() throws {
        #expect {
            _ = try ActivatedProcess.spawn(executable: "/nonexistent/herald-ingress", environment: [:])
        } throws: { error in
            ((error as? SystemdError)?.message ?? "").contains("/nonexistent/herald-ingress")
        }
        #expect {
            _ = try ActivatedProcess.spawn(executable: "python3", environment: [:])
        } throws: { error in
            ((error as? SystemdError)?.message ?? "").contains("must be given as a path")
        }
        #expect(throws: SystemdError.self) {
            _ = try ActivatedProcess.spawn(executable: "/bin/true", sockets: [("a:b", 0)], environment: [:])
        }
    }
}
