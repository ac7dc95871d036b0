import Foundation
import NIOCore
import Testing

/// Golden JSON files under `Fixtures/`, the same text docs/wire-protocol.md quotes.
enum Fixture {
    /// The exact bytes of `Fixtures/<name>.json`.
    static func payload(_ name: String) throws -> ByteBuffer {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
            "missing fixture \(name).json"
        )
        return ByteBuffer(bytes: try Data(contentsOf: url))
    }

    /// The fixture's text.
    static func text(_ name: String) throws -> String {
        String(buffer: try payload(name))
    }

    /// The fixture as a complete frame: big-endian length, then the payload.
    static func frame(_ name: String) throws -> ByteBuffer {
        frame(of: try payload(name))
    }

    static func frame(of payload: ByteBuffer) -> ByteBuffer {
        var frame = ByteBuffer()
        frame.writeInteger(UInt32(payload.readableBytes))
        frame.writeImmutableBuffer(payload)
        return frame
    }

    /// The repository's docs directory, found from this source file's location.
    static func document(_ name: String, sourceFile: String = #filePath) throws -> String {
        let root = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("docs").appendingPathComponent(name), encoding: .utf8)
    }
}
