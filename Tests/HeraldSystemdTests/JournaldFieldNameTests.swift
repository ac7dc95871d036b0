import HeraldSystemd
import Testing

@Suite struct JournaldFieldNameTests {
    @Test(arguments: [
        ("herald.event.id", "HERALD_EVENT_ID"),
        ("herald.channel", "HERALD_CHANNEL"),
        ("herald.conn.id", "HERALD_CONN_ID"),
        ("herald.request.id", "HERALD_REQUEST_ID"),
        ("herald.stage", "HERALD_STAGE"),
        ("a.b-c", "HERALD_A_B_C"),
        ("error.message", "HERALD_ERROR_MESSAGE"),
        ("_private", "HERALD__PRIVATE"),
        ("9lives", "HERALD_9LIVES"),
        ("herald", "HERALD"),
        ("heraldry", "HERALD_HERALDRY"),
        ("café au lait", "HERALD_CAF__AU_LAIT"),
        ("", "HERALD_"),
    ])
    func mapsMetadataKeys(key: String, expected: String) {
        #expect(JournaldFieldName.forMetadataKey(key) == expected)
    }

    @Test func everyNameIsAValidJournaldFieldName() {
        let keys = ["herald.event.id", "x", "A-b.c d", "ümlaut", "__", "0", String(repeating: "k", count: 100)]
        for key in keys {
            let name = JournaldFieldName.forMetadataKey(key)
            #expect(name.count <= 64, "\(key) → \(name)")
            #expect(name.first?.isLetter == true, "\(key) → \(name)")
            #expect(
                name.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" },
                "\(key) → \(name)"
            )
        }
    }
}
