import Foundation
import HeraldConfig
import HeraldDaemonKit
import HeraldEdge
import HeraldNativeProtocol
import HeraldSystemd
import HeraldWire
import Logging
import NIOCore
import NIOPosix

/// A real edge on 127.0.0.1:0 with a fake authorizer and a fake batcher on Unix sockets in a temporary
/// runtime directory.
final class EdgeHarness {
    let group: MultiThreadedEventLoopGroup
    let directory: RuntimeDirectory
    let service: EdgeService
    let batcher: FakeBatcher
    let port: Int
    private let servers: [StageInputServer]
    private var changes: AsyncStream<StageRequests.InterestChange>.Iterator

    private init(
        group: MultiThreadedEventLoopGroup, directory: RuntimeDirectory, service: EdgeService, batcher: FakeBatcher,
        port: Int, servers: [StageInputServer]
    ) {
        self.group = group
        self.directory = directory
        self.service = service
        self.batcher = batcher
        self.port = port
        self.servers = servers
        self.changes = batcher.changes.makeAsyncIterator()
    }

    static func start(configuration: HeraldConfiguration = HeraldConfiguration()) async throws -> EdgeHarness {
        var configuration = configuration
        // Every test connects from 127.0.0.1: the attempts limit is under test only where a test sets it.
        if configuration.limits.connectionAttemptsPerIPPerMinute == LimitsConfig().connectionAttemptsPerIPPerMinute {
            configuration.limits.connectionAttemptsPerIPPerMinute = 0
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var template = Array("/tmp/herald-edge-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw HeraldTestError("mkdtemp failed") }
        let directory = RuntimeDirectory(path: String(cString: made))
        var logger = Logger(label: "herald-ws-edge-test")
        logger.logLevel = .error
        let batcher = FakeBatcher()
        let authorizerServer = try await StageInputServer.start(
            boundSocket: try SocketBinder.bindUnix(path: directory.inputSocket(of: "authorizer")),
            hello: Hello(stage: "authorizer", instance: "fake-authorizer"), loop: group.next(),
            delegate: FakeAuthorizer(), logger: logger)
        let batcherServer = try await StageInputServer.start(
            boundSocket: try SocketBinder.bindUnix(path: directory.inputSocket(of: "batcher")),
            hello: Hello(stage: "batcher", instance: "fake-batcher"), loop: group.next(),
            delegate: batcher, logger: logger)
        let websocket = try SocketBinder.bindTCP(host: "127.0.0.1", port: 0)
        let port = try SocketBinder.boundPort(of: websocket)
        let service = try await EdgeService.start(
            websocket: websocket, configuration: configuration, runtime: directory,
            hello: Hello(stage: "ws-edge", instance: "ws-edge-test"), group: group, protocols: [NativeProtocol()],
            logger: logger)
        return EdgeHarness(
            group: group, directory: directory, service: service, batcher: batcher, port: port,
            servers: [authorizerServer, batcherServer])
    }

    /// Runs `body` against a fresh edge and tears everything down afterwards, even when `body` throws.
    static func with(
        configuration: HeraldConfiguration = HeraldConfiguration(), _ body: (EdgeHarness) async throws -> Void
    ) async throws {
        let harness = try await start(configuration: configuration)
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    func connect(receiveBuffer: Int? = nil) async throws -> TestWebSocketClient {
        try await TestWebSocketClient.connect(port: port, group: group, receiveBuffer: receiveBuffer)
    }

    /// The next interest change the batcher received that satisfies `matches`.
    func nextInterestChange(
        where matches: (StageRequests.InterestChange) -> Bool
    ) async throws -> StageRequests.InterestChange {
        while let change = await changes.next() {
            if matches(change) { return change }
        }
        throw HeraldTestError("the batcher's interest stream ended")
    }

    func stop() async {
        await service.shutdown()
        for server in servers { await server.close() }
        try? await group.shutdownGracefully()
        try? FileManager.default.removeItem(atPath: directory.path)
    }
}

struct HeraldTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
