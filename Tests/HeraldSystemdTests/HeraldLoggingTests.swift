import Glibc
import HeraldSystemd
import Testing

@Suite struct HeraldLoggingTests {
    @Test func journaldOnlyWhenJournalStreamNamesStandardError() {
        let pipe = TestPipe()
        defer {
            pipe.closeWriteEnd()
            close(pipe.readEnd)
        }
        var status = stat()
        #expect(fstat(pipe.writeEnd, &status) == 0)
        let matching = "\(status.st_dev):\(status.st_ino)"
        #expect(HeraldLogging.destination(journalStream: matching, standardError: pipe.writeEnd) == .journald)
        #expect(
            HeraldLogging.destination(
                journalStream: "\(status.st_dev):\(status.st_ino + 1)", standardError: pipe.writeEnd)
                == .standardError
        )
        #expect(HeraldLogging.destination(journalStream: nil, standardError: pipe.writeEnd) == .standardError)
        #expect(HeraldLogging.destination(journalStream: "garbage", standardError: pipe.writeEnd) == .standardError)
        #expect(HeraldLogging.destination(journalStream: matching, standardError: -1) == .standardError)
    }

    @Test func parsesLogLevels() {
        #expect(HeraldLogging.level(from: "trace") == .trace)
        #expect(HeraldLogging.level(from: "DEBUG") == .debug)
        #expect(HeraldLogging.level(from: "warn") == .warning)
        #expect(HeraldLogging.level(from: "critical") == .critical)
        #expect(HeraldLogging.level(from: "loud") == nil)
        #expect(HeraldLogging.level(from: nil) == nil)
    }
}
