import Foundation
import HeraldModel
import HeraldSystemd
import Logging
import NIOPosix
import Testing

@testable import HeraldAdmin

@Suite struct AdminTests {
    @Test func routerAnswersKnownMethodsAndNamesTheOthers() async {
        var router = AdminRouter()
        router.register("info") { _ in ["stage": "batcher"] }
        router.register("fail") { _ in throw HeraldError(.permissionDenied, "no") }
        #expect(
            await router.respond(to: AdminRequest(id: 1, method: "info"))
                == AdminResponse(id: 1, result: ["stage": "batcher"]))
        let unknown = await router.respond(to: AdminRequest(id: 2, method: "nope"))
        #expect(unknown.error?.code == "NOT_FOUND")
        #expect(unknown.error?.message.contains("fail, info") == true)
        #expect(await router.respond(to: AdminRequest(id: 3, method: "fail")).error?.code == "PERMISSION_DENIED")
    }

    @Test func requestsDecodeWithoutArgs() throws {
        let request = try JSONDecoder().decode(AdminRequest.self, from: Data(#"{"id":9,"method":"stats"}"#.utf8))
        #expect(request == AdminRequest(id: 9, method: "stats"))
    }

    @Test func serverAndClientRoundTripOverAUnixSocket() async throws {
        let path = NSTemporaryDirectory() + "herald-admin-\(UUID().uuidString.prefix(8)).sock"
        var router = AdminRouter()
        router.register("echo") { args in .object(args) }
        let server = try await AdminServer.start(
            boundSocket: try SocketBinder.bindUnix(path: path), group: MultiThreadedEventLoopGroup.singleton,
            router: router, logger: Logger(label: "test"))
        // A generous bound: the whole test suite runs in parallel on two cores.
        let answer = try await AdminClient.call(
            socketPath: path, method: "echo", args: ["n": 1, "s": "x"], timeout: .seconds(30))
        #expect(answer == ["n": 1, "s": "x"])
        await #expect(throws: AdminResponse.Failure.self) {
            try await AdminClient.call(socketPath: path, method: "missing", timeout: .seconds(30))
        }
        await server.close()
    }

    @Test func unreachableSocketsSayWhere() async {
        do {
            _ = try await AdminClient.call(socketPath: "/nonexistent/x.sock", method: "info")
            Issue.record("call succeeded")
        } catch let error as HeraldError {
            #expect(error.code == .unavailable)
            #expect(error.message.contains("/nonexistent/x.sock"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
