import Foundation
import HeraldAdmin
import HeraldConfig
import HeraldModel
import HeraldSystemd
import Logging
import NIOCore
import NIOPosix

@testable import HeraldDaemonKit
@testable import HeraldIngress

/// A running `IngressService` on 127.0.0.1 (port 0) with a temp runtime directory, and optionally a fake
/// authorizer on the directory's authorizer socket.
final class IngressFixture: Sendable {
    let group: MultiThreadedEventLoopGroup
    let runtime: RuntimeDirectory
    let service: IngressService
    let authorizer: FakeAuthorizer?
    let port: Int

    private init(
        group: MultiThreadedEventLoopGroup, runtime: RuntimeDirectory, service: IngressService,
        authorizer: FakeAuthorizer?, port: Int
    ) {
        self.group = group
        self.runtime = runtime
        self.service = service
        self.authorizer = authorizer
        self.port = port
    }

    /// - Parameter authorizer: `nil` for no authorizer at all, else whether the fake acknowledges events.
    static func start(
        authorizer acknowledges: Bool?, adjust: (inout HeraldConfiguration) -> Void = { _ in }
    ) async throws -> IngressFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "herald-ingress-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let runtime = RuntimeDirectory(path: directory)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var configuration = try HeraldConfiguration.load(
            yaml: HeraldConfiguration.embeddedDefaultYAML, environment: [:])
        configuration.ingress.acceptTimeoutSeconds = 1
        adjust(&configuration)
        var authorizer: FakeAuthorizer?
        if let acknowledges {
            authorizer = try await FakeAuthorizer.start(
                socketPath: runtime.inputSocket(of: "authorizer"), acknowledges: acknowledges, loop: group.next())
        }
        let http = try SocketBinder.bindTCP(host: "127.0.0.1", port: 0)
        let port = try SocketBinder.boundPort(of: http)
        var logger = Logger(label: "herald-ingress-test")
        logger.logLevel = .critical
        let environment = DaemonEnvironment(
            stage: .ingress, instance: "ingress-test", configuration: configuration, runtime: runtime,
            listeners: ["http": http], group: group, logger: logger)
        let service = try await IngressService.start(environment)
        return IngressFixture(group: group, runtime: runtime, service: service, authorizer: authorizer, port: port)
    }

    /// Sends raw request bytes and returns every response before the server closed the connection.
    func exchange(_ raw: String) async throws -> [RawHTTPResponse] {
        RawHTTPResponse.all(in: try await RawHTTPClient.exchange(raw, port: port, group: group))
    }

    /// One request with `Connection: close`.
    func request(
        _ method: String, _ path: String, body: String? = nil, headers: [String: String] = [:],
        apiKey: String? = "dev-api-key"
    ) async throws -> RawHTTPResponse {
        var raw = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        if let apiKey { raw += "Authorization: Bearer \(apiKey)\r\n" }
        for (name, value) in headers { raw += "\(name): \(value)\r\n" }
        if let body { raw += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        raw += "\r\n" + (body ?? "")
        let responses = try await exchange(raw)
        guard responses.count == 1, let response = responses.first else {
            throw HeraldError(.internal, "expected one response, got \(responses.count)")
        }
        return response
    }

    /// Starts an admin server answering `health` for `stage` in the runtime directory.
    func startAdmin(of stage: Stage, status: String = "ok") async throws -> AdminServer {
        var router = AdminRouter()
        router.register("health") { _ in ["status": .string(status)] }
        let fd = try SocketBinder.bindUnix(path: runtime.adminSocket(of: stage.rawValue))
        return try await AdminServer.start(
            boundSocket: fd, group: group, router: router, logger: Logger(label: "admin"))
    }

    func stop() async {
        await service.shutdown()
        await authorizer?.close()
        try? await group.shutdownGracefully()
        try? FileManager.default.removeItem(atPath: runtime.path)
    }
}
