/// A path with placeholders, such as `/apps/{appId}/events`: literal segments must match exactly, a placeholder
/// matches any one non-empty segment and captures it.
struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    private enum Segment: Sendable, Hashable {
        case literal(Substring)
        case placeholder
    }

    private let segments: [Segment]
    let description: String

    init(_ pattern: String) {
        description = pattern
        segments = pattern.split(separator: "/", omittingEmptySubsequences: false).map {
            $0.hasPrefix("{") && $0.hasSuffix("}") ? .placeholder : .literal($0)
        }
    }

    /// The captured segments, in order, when `path` matches; `nil` otherwise.
    func match(_ path: String) -> [String]? {
        match(path.split(separator: "/", omittingEmptySubsequences: false))
    }

    /// The same, for a path already split at every `/`.
    func match(_ parts: [Substring]) -> [String]? {
        guard parts.count == segments.count else { return nil }
        var captures: [String] = []
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let literal):
                guard part == literal else { return nil }
            case .placeholder:
                guard !part.isEmpty else { return nil }
                captures.append(String(part))
            }
        }
        return captures
    }
}
