import HeraldSystemd
import Testing

@Suite struct NotifyMessageTests {
    @Test func parsesTheAssignmentsASupervisorActsOn() {
        let text =
            "READY=1\nSTATUS=serving 3 connections\nMAINPID=4242\nSTOPPING=1\nRELOADING=1\nMONOTONIC_USEC=12\n"
            + "WATCHDOG=1\nWATCHDOG=trigger\nREADY=0\nMAINPID=x\nBARE\n\n"
        #expect(
            NotifyMessage.parse(text) == [
                .ready, .status("serving 3 connections"), .mainPID(4242), .stopping, .reloading,
                .other(key: "MONOTONIC_USEC", value: "12"), .watchdog, .other(key: "WATCHDOG", value: "trigger"),
                .other(key: "READY", value: "0"), .other(key: "MAINPID", value: "x"), .other(key: "BARE", value: ""),
            ]
        )
    }

    @Test func statusKeepsEqualsSigns() {
        #expect(NotifyMessage(line: "STATUS=a=b") == .status("a=b"))
        #expect(NotifyMessage.status("a=b").description == "STATUS=a=b")
    }

    @Test func datagramExposesStatusAndMainPID() {
        let datagram = NotifyDatagram(senderPID: 7, text: "READY=1\nSTATUS=up\nMAINPID=7", sequence: 1)
        #expect(datagram.contains(.ready))
        #expect(!datagram.contains(.stopping))
        #expect(datagram.status == "up")
        #expect(datagram.mainPID == 7)
    }
}
