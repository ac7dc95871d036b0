import Testing

@testable import HeraldIngress

@Suite("PublishTimestamp")
struct PublishTimestampTests {
    @Test(arguments: [
        ("2025-07-17T10:30:00Z", "2025-07-17T10:30:00Z"),
        ("2025-07-17t10:30:00z", "2025-07-17T10:30:00Z"),
        ("2025-07-17 10:30:00Z", "2025-07-17T10:30:00Z"),
        ("2025-07-17T10:30:00+00:00", "2025-07-17T10:30:00Z"),
        ("2025-07-17T00:30:00+02:00", "2025-07-16T22:30:00Z"),
        ("2024-02-29T23:00:00-05:30", "2024-03-01T04:30:00Z"),
        ("2025-07-17T10:30:00.123456Z", "2025-07-17T10:30:00.123456Z"),
    ])
    func normalizes(_ text: String, _ expected: String) {
        #expect(PublishTimestamp.normalize(text) == expected)
    }

    @Test(arguments: [
        "", "2025-07-17", "2025-07-17T10:30:00", "2025-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
        "2025-07-17T24:00:00Z", "2025-07-17T10:30:00.Z", "2025-07-17T10:30:00+0200", "2025-07-17T10:30:00Zjunk",
        "१९७०-01-01T00:00:00Z",
    ])
    func refuses(_ text: String) {
        #expect(PublishTimestamp.normalize(text) == nil)
    }
}
