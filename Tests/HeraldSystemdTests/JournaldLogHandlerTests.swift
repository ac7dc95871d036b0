import Logging
import Testing

@testable import HeraldSystemd

@Suite struct JournaldLogHandlerTests {
    @Test func buildsStructuredFields() {
        var handler = JournaldLogHandler(
            label: "herald.ingress.http",
            stage: "ingress",
            identifier: "herald-ingress",
            metadataProvider: nil
        )
        handler[metadataKey: "herald.conn.id"] = "17"
        let event = LogEvent(
            level: .warning,
            message: "publish rejected",
            metadata: ["herald.event.id": "evt_1", "herald.channel": "thread.456", "herald.request.id": "r-9"],
            source: nil,
            file: "HeraldIngress/Publish.swift",
            function: "publish(_:)",
            line: 42
        )
        let merged = LogRecordMetadata.merge(handler: handler.metadata, provider: nil, event: event)
        #expect(
            handler.fields(for: event, metadata: merged) == [
                "MESSAGE=publish rejected",
                "PRIORITY=4",
                "SYSLOG_IDENTIFIER=herald-ingress",
                "CODE_FILE=HeraldIngress/Publish.swift",
                "CODE_LINE=42",
                "CODE_FUNC=publish(_:)",
                "HERALD_LOGGER=herald.ingress.http",
                "HERALD_CHANNEL=thread.456",
                "HERALD_CONN_ID=17",
                "HERALD_EVENT_ID=evt_1",
                "HERALD_REQUEST_ID=r-9",
                "HERALD_STAGE=ingress",
            ]
        )
    }

    @Test func attachedErrorBecomesFields() {
        struct Refused: Error, CustomStringConvertible { var description: String { "connection refused" } }
        let handler = JournaldLogHandler(
            label: "l", stage: "batcher", identifier: "herald-batcher", metadataProvider: nil)
        let event = LogEvent(
            level: .error,
            message: "m",
            error: Refused(),
            metadata: nil,
            source: nil,
            file: "f",
            function: "g",
            line: 1
        )
        let merged = LogRecordMetadata.merge(handler: [:], provider: nil, event: event)
        let fields = handler.fields(for: event, metadata: merged)
        #expect(fields.contains("HERALD_ERROR_MESSAGE=connection refused"))
        #expect(fields.contains("PRIORITY=3"))
    }

    @Test func priorityFollowsSyslog() {
        let levels: [Logger.Level] = [.trace, .debug, .info, .notice, .warning, .error, .critical]
        #expect(levels.map(\.syslogPriority) == [7, 7, 6, 5, 4, 3, 2])
    }
}
