/// One entry of `channels.rules`: who may subscribe to the channels a pattern matches.
public struct ChannelRule: Sendable, Equatable {
    /// Words in `allow` that are not role names.
    public enum Special: String, Sendable, CaseIterable {
        /// Every connected client.
        case anyone
        /// The user whose id the pattern's `{id}` captures.
        case `self`
        /// Whatever the backend auth hook answers.
        case hook
        /// The connection token's `channels` claim lists the channel, or the subscribe carries a subscription
        /// token (a JWT whose `channel` claim is exactly this channel).
        case token
        /// The role `channels.required_roles` sets for this channel, or any role above it; every signed-in user
        /// when it sets none; the hook when it says `hook`.
        case requiredRole = "required_role"
    }

    /// What joins the words of one `allow` entry that must all hold (`seller+self`).
    public static let conjunction: Character = "+"

    /// Channel name pattern: `*` matches any run of characters, `{id}` one dot-free segment.
    public var pattern: String
    /// Who may subscribe; any one entry admits. An entry is a role name (a role in `auth.roles` also admits
    /// every role above it), a special word of `Special`, or such words joined by `+`, which must all hold.
    public var allow: [String]

    public init(pattern: String, allow: [String]) {
        self.pattern = pattern
        self.allow = allow
    }

    /// Each `allow` entry as the words that must all hold.
    public var alternatives: [[String]] {
        allow.map { $0.split(separator: Self.conjunction).map(String.init) }
    }
    /// The special words among `allow`, including inside `+` entries.
    public var specials: [Special] { alternatives.joined().compactMap(Special.init(rawValue:)) }
    /// The role names among `allow`, including inside `+` entries.
    public var roles: [String] { alternatives.joined().filter { Special(rawValue: $0) == nil } }
}

extension ChannelRule {
    static let keys = ["pattern", "allow"]

    static func read(_ node: ConfigNode, at path: String, with reader: inout ConfigReader) -> ChannelRule? {
        guard let fields = reader.fields(node, at: path, known: keys) else { return nil }
        let pattern = reader.requiredString(fields, "pattern")
        if let pattern, !isValidPattern(pattern) {
            reader.report(
                fields.path("pattern"),
                "must be channel name characters with \"*\" and {name} placeholders (got \"\(pattern)\")",
                node: fields["pattern"])
        }
        let allow = reader.stringList(fields, "allow", default: [])
        if allow.isEmpty {
            reader.report(
                fields.path("allow"), "must list at least one role, or anyone, self, hook, token or required_role",
                line: fields["allow"]?.line ?? fields.line)
        }
        for entry in allow where entry.split(separator: conjunction, omittingEmptySubsequences: false).contains("") {
            reader.report(
                fields.path("allow"), "\"\(entry)\" has an empty word; join words with \"+\" as in seller+self",
                node: fields["allow"])
        }
        let words = allow.flatMap { $0.split(separator: conjunction).map(String.init) }
        if words.contains(Special.`self`.rawValue), let pattern, !pattern.contains("{") {
            reader.report(
                fields.path("allow"), "\"self\" needs a placeholder such as {id} in the pattern", node: fields["allow"])
        }
        guard let pattern else { return nil }
        return ChannelRule(pattern: pattern, allow: allow)
    }

    /// Channel name characters, `*`, and balanced `{name}` placeholders.
    static func isValidPattern(_ pattern: String) -> Bool {
        var inPlaceholder = false
        var placeholderLength = 0
        for c in pattern {
            switch c {
            case "{":
                if inPlaceholder { return false }
                inPlaceholder = true
                placeholderLength = 0
            case "}":
                if !inPlaceholder || placeholderLength == 0 { return false }
                inPlaceholder = false
            default:
                guard c.isASCII else { return false }
                if inPlaceholder {
                    guard c.isLetter || c.isNumber || c == "_" else { return false }
                    placeholderLength += 1
                } else {
                    guard c.isLetter || c.isNumber || "_.:@=,-#*".contains(c) else { return false }
                }
            }
        }
        return !inPlaceholder
    }
}
