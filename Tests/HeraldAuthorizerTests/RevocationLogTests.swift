import Foundation
import HeraldModel
import Testing

@testable import HeraldAuthorizer

@Suite struct RevocationLogTests {
    let directory = NSTemporaryDirectory() + "herald-revocations-" + UUID().uuidString + "/state"

    @Test func revocationsAreAppendedAndReadBack() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = RevocationLog(directory: directory)
        #expect(try log.load() == [])
        try log.append("tok_1")
        try log.append("tok_2")
        try log.append("tok_1")
        #expect(try RevocationLog(directory: directory).load() == ["tok_1", "tok_2"])
    }

    @Test func idsThatWouldBreakTheFileAreRefused() {
        let log = RevocationLog(directory: directory)
        for bad in ["", "a\nb", String(repeating: "x", count: 257)] {
            #expect(throws: HeraldError.self) { try log.append(bad) }
        }
    }

    @Test func theStateDirectoryComesFromSystemdOrTheRuntimeDirectory() {
        #expect(
            RevocationLog.directory(environment: ["STATE_DIRECTORY": "/var/lib/herald:/x"], runtimeDirectory: "/r")
                == "/var/lib/herald")
        #expect(RevocationLog.directory(environment: [:], runtimeDirectory: "/run/h") == "/run/h/state")
    }
}
