/// A compiled `channels.rules` pattern: literal text, `*` (one or more of any character) and `{name}`
/// placeholders (one or more characters other than `.`), matched against the whole channel name.
struct ChannelPattern: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case literal([UInt8])
        case anyRun
        case placeholder(String)
    }

    let pieces: [Piece]

    init(_ pattern: String) {
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var name: [UInt8]?
        for byte in pattern.utf8 {
            switch (byte, name) {
            case (UInt8(ascii: "{"), nil):
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = []
                name = []
            case (UInt8(ascii: "}"), .some(let placeholder)):
                pieces.append(.placeholder(String(decoding: placeholder, as: UTF8.self)))
                name = nil
            case (_, .some(var placeholder)):
                placeholder.append(byte)
                name = placeholder
            case (UInt8(ascii: "*"), nil):
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = []
                pieces.append(.anyRun)
            default:
                literal.append(byte)
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    /// The placeholder values when `channel` matches, or `nil`. Matching is exact and case-sensitive.
    func match(_ channel: String) -> [String: String]? {
        var captures: [String: String] = [:]
        let bytes = Array(channel.utf8)
        return match(bytes[...], pieces[...], &captures) ? captures : nil
    }

    private func match(_ text: ArraySlice<UInt8>, _ rest: ArraySlice<Piece>, _ captures: inout [String: String])
        -> Bool
    {
        guard let piece = rest.first else { return text.isEmpty }
        let next = rest.dropFirst()
        switch piece {
        case .literal(let bytes):
            guard text.starts(with: bytes) else { return false }
            return match(text.dropFirst(bytes.count), next, &captures)
        case .anyRun, .placeholder:
            var end = text.startIndex
            while end < text.endIndex {
                if case .placeholder = piece, text[end] == UInt8(ascii: ".") { break }
                end += 1
                var attempt = captures
                if case .placeholder(let name) = piece {
                    attempt[name] = String(decoding: text[text.startIndex..<end], as: UTF8.self)
                }
                if match(text[end...], next, &attempt) {
                    captures = attempt
                    return true
                }
            }
            return false
        }
    }
}
