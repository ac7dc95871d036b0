import HeraldSystemd
import Logging
import Testing

struct Refused: Error, CustomStringConvertible {
    var description: String { "refused" }
}

@Suite struct StderrLogHandlerTests {
    @Test func writesOnePrefixedLinePerRecord() {
        let pipe = TestPipe()
        var logger = Logger(label: "herald.test") { label in
            StderrLogHandler(label: label, fileDescriptor: pipe.writeEnd, metadataProvider: nil)
        }
        logger.logLevel = .debug
        logger[metadataKey: "herald.conn.id"] = "17"
        logger.warning(
            "upstream unreachable",
            metadata: ["herald.error": "connection refused", "herald.attempt": "3", "empty": ""]
        )
        logger.debug("line one\nline two")
        logger.trace("not written at debug level")
        pipe.closeWriteEnd()
        #expect(
            pipe.readAllAndClose() == """
                <4>upstream unreachable empty="" herald.attempt=3 herald.conn.id=17 herald.error="connection refused"
                <7>line one\\nline two herald.conn.id=17

                """
        )
    }

    @Test func quotesAndEscapesValuesThatNeedIt() {
        let line = StderrLogHandler.line(
            level: .error,
            message: "m",
            metadata: ["a": "say \"hi\"", "b": "x=y", "c": "tab\there", "d": "plain-value_1.2"]
        )
        #expect(line == "<3>m a=\"say \\\"hi\\\"\" b=\"x=y\" c=\"tab\\there\" d=plain-value_1.2\n")
    }

    @Test func attachedErrorIsWritten() {
        let pipe = TestPipe()
        let logger = Logger(label: "t") {
            StderrLogHandler(label: $0, fileDescriptor: pipe.writeEnd, metadataProvider: nil)
        }
        logger.error("send failed", error: Refused())
        pipe.closeWriteEnd()
        #expect(
            pipe.readAllAndClose() == "<3>send failed error.message=refused error.type=HeraldSystemdTests.Refused\n")
    }
}
