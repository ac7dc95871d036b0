import Foundation
import Testing

/// docs/socketio.md quotes the exact bytes Herald writes; these tests keep the two in step.
@Suite("Documentation")
struct DocumentationTests {
    private static func document(sourceFile: String = #filePath) throws -> String {
        let root = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("docs/socketio.md"), encoding: .utf8)
    }

    @Test(arguments: EncoderGolden.all)
    func quotesEveryEncoderGolden(golden: EncoderGolden) throws {
        #expect(try Self.document().contains(golden.text), "docs/socketio.md must quote \(golden.text)")
    }

    @Test(arguments: MalformedGolden.all.filter { !$0.text.isEmpty && $0.text.count < 40 })
    func listsTheRefusedPackets(golden: MalformedGolden) throws {
        #expect(try Self.document().contains("`" + golden.text + "`"), "docs/socketio.md must list \(golden.text)")
    }
}
