import HeraldConfig
import HeraldModel

/// The subscription rules, compiled: `channels.rules` first, then `ChannelRule.builtIn`; the first rule whose
/// pattern matches decides, and a channel no rule matches is refused. Pure: the hook is asked by the caller
/// when the verdict says so.
struct ChannelRuleBook: Sendable {
    struct Rule: Sendable {
        let source: ChannelRule
        let pattern: ChannelPattern
        let alternatives: [[String]]
    }

    /// How one word of an `allow` entry answers.
    private enum Answer {
        case yes, no, hook
    }

    let rules: [Rule]
    let requiredRoles: [String: String]
    let hierarchy: [String]

    init(configured: [ChannelRule], requiredRoles: [String: String], hierarchy: [String]) {
        rules = (configured + ChannelRule.builtIn).map {
            Rule(source: $0, pattern: ChannelPattern($0.pattern), alternatives: $0.alternatives)
        }
        self.requiredRoles = requiredRoles
        self.hierarchy = hierarchy
    }

    init(channels: ChannelsConfig, auth: AuthConfig) {
        self.init(configured: channels.rules, requiredRoles: channels.requiredRoles, hierarchy: auth.roles)
    }

    /// Whether `channel` follows the channel grammar: 1–200 of `[A-Za-z0-9_.:@=,-]`, and `#` only in Pusher's
    /// `#server-to-user-` prefix.
    static func isWellFormed(_ channel: String) -> Bool {
        guard ChannelName.isValid(channel) else { return false }
        let prefix = "#server-to-user-"
        let rest = channel.hasPrefix(prefix) ? channel.dropFirst(prefix.count) : Substring(channel)
        return !rest.contains("#")
    }

    func verdict(for question: SubscriptionQuestion) -> PolicyVerdict {
        guard Self.isWellFormed(question.channel) else {
            return .deny("\"\(question.channel)\" is not a valid channel name")
        }
        for rule in rules {
            guard let captures = rule.pattern.match(question.channel) else { continue }
            var askHook = false
            for alternative in rule.alternatives {
                switch answer(alternative, question, captures) {
                case .yes: return .allow
                case .hook: askHook = true
                case .no: continue
                }
            }
            if askHook { return .askHook }
            return .deny("the rule \"\(rule.source.pattern)\" allows \(rule.source.allow.joined(separator: ", "))")
        }
        return .deny("no channel rule matches \"\(question.channel)\"")
    }

    /// All words of one `allow` entry must hold; a word that needs the hook makes the entry ask it.
    private func answer(_ words: [String], _ question: SubscriptionQuestion, _ captures: [String: String])
        -> Answer
    {
        var result = Answer.yes
        for word in words {
            switch answer(word, question, captures) {
            case .no: return .no
            case .hook: result = .hook
            case .yes: continue
            }
        }
        return result
    }

    private func answer(_ word: String, _ question: SubscriptionQuestion, _ captures: [String: String]) -> Answer {
        let special = ChannelRule.Special(rawValue: word)
        if special == .anyone { return .yes }
        if question.isAnonymous { return .no }
        let principal = question.principal
        switch special {
        case .anyone: return .yes
        case .`self`:
            let owner = captures["id"] ?? captures["userId"]
            return owner == principal.userID ? .yes : .no
        case .hook: return .hook
        case .token:
            if question.tokenChannel == question.channel { return .yes }
            return Self.claimGrants(principal.channels, question.channel) ? .yes : .no
        case .requiredRole:
            guard let required = requiredRoles[question.channel] else { return .yes }
            if required == ChannelRule.Special.hook.rawValue { return .hook }
            return has(role: required, principal) ? .yes : .no
        case nil:
            return has(role: word, principal) ? .yes : .no
        }
    }

    /// A role of the hierarchy admits itself and every role above it; any other role admits just itself.
    func has(role: String, _ principal: Principal) -> Bool {
        guard let needed = hierarchy.firstIndex(of: role) else { return principal.roles.contains(role) }
        return principal.roles.contains { held in (hierarchy.firstIndex(of: held) ?? -1) >= needed }
    }

    /// The token's `channels` claim: exact names, or prefixes ending in `.*`.
    static func claimGrants(_ claim: [String], _ channel: String) -> Bool {
        claim.contains { pattern in
            pattern.hasSuffix(".*")
                ? channel.hasPrefix(pattern.dropLast()) && channel.count > pattern.count - 1
                : pattern == channel
        }
    }
}
