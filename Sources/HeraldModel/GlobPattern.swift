/// A name pattern where `*` matches any run of characters (including none); everything else is literal.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    private let parts: [Substring]

    public init(_ text: String) {
        self.text = text
        self.parts = text.split(separator: "*", omittingEmptySubsequences: false)
    }

    public var description: String { text }

    public func matches(_ name: String) -> Bool {
        guard parts.count > 1 else { return name == text }
        var rest = Substring(name)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for middle in parts.dropFirst().dropLast() where !middle.isEmpty {
            guard let end = Self.endOfFirstOccurrence(of: middle, in: rest) else { return false }
            rest = rest[end...]
        }
        let last = parts[parts.count - 1]
        return rest.count >= last.count && rest.hasSuffix(last)
    }

    private static func endOfFirstOccurrence(of needle: Substring, in haystack: Substring) -> Substring.Index? {
        var start = haystack.startIndex
        while start != haystack.endIndex {
            if haystack[start...].hasPrefix(needle) { return haystack.index(start, offsetBy: needle.count) }
            start = haystack.index(after: start)
        }
        return nil
    }
}
