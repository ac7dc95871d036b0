import Foundation
import HeraldModel
import HeraldWire
import NIOCore
import Testing

/// The edge against a third-party client: Python's `websockets` library (`pip install websockets`). Skipped
/// where Python or the library is missing.
@Suite struct PythonClientTests {
    static let script = #"""
        import asyncio, json, sys, websockets

        async def main(port):
            async with websockets.connect(f"ws://127.0.0.1:{port}/ws") as ws:
                await ws.send(json.dumps({"type": "auth", "token": "Bearer good-8"}))
                connected = json.loads(await ws.recv())
                assert connected["type"] == "connected" and connected["user_id"] == "8", connected
                await ws.send(json.dumps({"type": "subscribe", "id": "a", "channel": "py"}))
                print(await ws.recv(), flush=True)
                print(await ws.recv(), flush=True)
                await asyncio.wait_for(await ws.ping(), 5)
                print("pong", flush=True)
            print("closed", ws.close_code, flush=True)

        asyncio.run(asyncio.wait_for(main(int(sys.argv[1])), 10))
        """#

    static let pythonHasWebsockets: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import websockets"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }()

    @Test(.enabled(if: pythonHasWebsockets, "needs python3 with the websockets package"))
    func pythonWebsocketsClientAuthenticatesSubscribesAndReceives() async throws {
        try await EdgeHarness.with { edge in
            let scriptPath = edge.directory.path + "/client.py"
            try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
            let output = Pipe()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", scriptPath, String(edge.port)]
            process.standardOutput = output
            let exited = AsyncStream.makeStream(of: Int32.self)
            process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
            try process.run()

            _ = try await edge.nextInterestChange { $0.add.contains { $0.channel == "py" } }
            try await edge.batcher.deliver([
                WireEvent(
                    id: EventID(uncheckedRawValue: "evt_py"), name: "py.said", channels: ["py"],
                    timestamp: "2025-07-17T10:30:00Z", priority: .high, data: ByteBuffer(string: #"{"hello":"wörld"}"#),
                    offset: 1, epoch: "e1")
            ])
            var statuses = exited.stream.makeAsyncIterator()
            let status = await statuses.next()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(status == 0)
            #expect(
                printed.split(separator: "\n") == [
                    #"{"type":"ack","id":"a","ok":true,"data":{"channel":"py","epoch":"e1","offset":0}}"#,
                    #"{"type":"event","id":"evt_py","event":"py.said","channel":"py","timestamp":"2025-07-17T10:30:00Z","#
                        + #""priority":"high","data":{"hello":"wörld"},"offset":1,"epoch":"e1"}"#,
                    "pong", "closed 1000",
                ])
        }
    }
}
