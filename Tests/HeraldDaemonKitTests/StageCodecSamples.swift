import HeraldDaemonKit
import HeraldModel
import HeraldTestSupport
import NIOCore

/// Values for the stage codec tests: hand-picked awkward strings and numbers, and many more drawn from a
/// seeded generator, so every run checks the same values.
enum StageCodecSamples {
    /// Strings that exercise escaping: quotes, backslashes, slashes, every control character, DEL, text in
    /// several scripts, emoji with joiners and flags, combining marks, line and paragraph separators, a BOM.
    static let strings: [String] = [
        "", "42", "plain", "team.7.*", "user.42.messages", "a\"b", "\\", "\\\\\"", "/", "http://x/y", "</script>",
        String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self), "\u{7F}", "tab\there\nnew\r\u{08}\u{0C}",
        "Nguyễn Thị Minh Khai", "Xin chào 🇻🇳", "👩‍💻 и 日本語", "e\u{301}", "\u{2028}\u{2029}", "\u{FEFF}bom",
        "\u{10FFFF}", "ｆｕｌｌ", "Ω≈ç√∫",
    ]

    static let numbers: [Int64] = [0, 1, -1, 9, 10, 1_752_748_200, Int64.max, Int64.min, -1_000_000_007]

    /// Channel names for dictionary keys: their UTF-8 order differs from numeric, case-insensitive and
    /// Unicode-aware orders.
    static let keys: [String] = [
        "a", "B", "b", "a10", "a9", "a.1", "a-1", "_", "~", "", "é", "e\u{301}", "z", "Z", "😀", "ｆ", "thread.1",
    ]

    static func principals() -> [Principal] {
        var generator = SeededGenerator(seed: 0x4845_5241_4C44)
        var values = [
            Principal(userID: "42"),
            Principal(
                userID: "42", roles: ["member"], name: "An", expiresAt: 1_752_748_200, tokenID: "tok-9f2c",
                channels: ["team.7.*"]),
            {
                var withInfo = Principal(userID: "7", roles: ["member"], name: "Ada")
                withInfo.info = #"{"avatar":"https://a/1.png","tags":["é",1]}"#
                return withInfo
            }(),
        ]
        for (index, text) in strings.enumerated() {
            values.append(
                Principal(
                    userID: text, roles: [text, "member"], name: index % 2 == 0 ? text : nil,
                    expiresAt: numbers[index % numbers.count], tokenID: index % 3 == 0 ? nil : text, channels: [text]))
        }
        for _ in 0..<300 { values.append(randomPrincipal(&generator)) }
        return values
    }

    static func randomPrincipal(_ generator: inout SeededGenerator) -> Principal {
        Principal(
            userID: randomString(&generator), roles: randomStrings(&generator),
            name: generator.coin() ? randomString(&generator) : nil,
            expiresAt: generator.coin() ? Int64(bitPattern: generator.next()) : nil,
            tokenID: generator.coin() ? randomString(&generator) : nil, channels: randomStrings(&generator))
    }

    static func randomStrings(_ generator: inout SeededGenerator) -> [String] {
        (0..<Int(generator.next() % 4)).map { _ in randomString(&generator) }
    }

    /// Up to 12 characters, mostly ASCII (every code 0–127 can come up), some from other scripts and emoji.
    static func randomString(_ generator: inout SeededGenerator) -> String {
        let wide: [Character] = ["é", "ữ", "Ж", "日", "🎉", "👩‍💻", "\u{2028}", "\u{FEFF}"]
        var text = ""
        for _ in 0..<Int(generator.next() % 13) {
            if generator.next() % 5 == 0 {
                text.append(wide[Int(generator.next() % UInt64(wide.count))])
            } else {
                text.unicodeScalars.append(Unicode.Scalar(UInt8(generator.next() % 128)))
            }
        }
        return text
    }
}
