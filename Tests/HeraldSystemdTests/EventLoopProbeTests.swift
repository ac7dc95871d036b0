import Glibc
import HeraldSystemd
import NIOPosix
import Testing

@Suite struct EventLoopProbeTests {
    @Test func succeedsOnAResponsiveLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try await EventLoopProbe.roundTrip(group.next(), timeout: .seconds(5))
        try await group.shutdownGracefully()
    }

    @Test func timesOutOnABlockedLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let gate = TestPipe()
        let gateFD = gate.readEnd
        // Blocks the loop's thread in read(2) until the gate opens.
        group.next().execute {
            var byte: UInt8 = 0
            _ = read(gateFD, &byte, 1)
        }
        await #expect {
            try await EventLoopProbe.roundTrip(group.next(), timeout: .milliseconds(50))
        } throws: { error in
            (error as? SystemdError)?.isTimeout == true
        }
        var byte: UInt8 = 1
        _ = write(gate.writeEnd, &byte, 1)
        try await EventLoopProbe.roundTrip(group.next(), timeout: .seconds(5))
        gate.closeWriteEnd()
        close(gate.readEnd)
        try await group.shutdownGracefully()
    }
}
