import HeraldWire
import NIOCore
import Testing

@Suite("Golden fixtures")
struct GoldenFixtureTests {
    @Test("encoding gives the fixture's exact bytes after a correct length", arguments: Golden.all)
    func encodesToFixture(golden: Golden) throws {
        let fixture = try Fixture.payload(golden.name)
        var frame = ByteBuffer()
        let written = frame.writeWireFrame(golden.message)

        #expect(written == frame.readableBytes)
        let length = frame.readInteger(as: UInt32.self).map(Int.init)
        #expect(length == fixture.readableBytes)
        #expect(length == frame.readableBytes)
        #expect(String(buffer: frame) == String(buffer: fixture))
        #expect(frame == fixture)
    }

    @Test("decoding the fixture gives the value", arguments: Golden.all)
    func decodesFromFixture(golden: Golden) throws {
        #expect(try WireMessage.decode(frame: try Fixture.payload(golden.name)) == golden.message)
    }

    @Test("fixtures are one line with no trailing newline", arguments: Golden.all)
    func fixtureIsOneLine(golden: Golden) throws {
        let text = try Fixture.text(golden.name)
        #expect(!text.contains("\n"))
        #expect(text.hasPrefix(#"{"type":""#))
    }

    @Test("docs/wire-protocol.md quotes every fixture exactly", arguments: Golden.all)
    func documentQuotesFixture(golden: Golden) throws {
        let document = try Fixture.document("wire-protocol.md")
        #expect(
            document.contains(try Fixture.text(golden.name)), "docs/wire-protocol.md must quote \(golden.name).json")
    }
}
