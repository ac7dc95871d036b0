import HeraldConfig

/// `channels.rules`, then the built-in rules; the backend hook for a rule that leaves the decision to it.
public struct RuleChannelPolicy: ChannelPolicy {
    let book: ChannelRuleBook
    let hook: (any AuthorizationHook)?

    public init(channels: ChannelsConfig, auth: AuthConfig, hook: (any AuthorizationHook)?) {
        self.book = ChannelRuleBook(channels: channels, auth: auth)
        self.hook = hook
    }

    public func decide(_ question: SubscriptionQuestion) async -> SubscriptionDecision {
        switch book.verdict(for: question) {
        case .allow:
            return .allowed(info: nil)
        case .deny(let why):
            return .denied(why)
        case .askHook:
            guard let hook else {
                return .denied("the rule for \"\(question.channel)\" asks the auth hook, and auth.hook.url is not set")
            }
            let principal = question.principal
            let answer = await hook.ask(
                HookQuestion(
                    user: principal.userID, roles: principal.roles, channel: question.channel,
                    socketID: question.socketID))
            switch answer {
            case .allow(let info): return .allowed(info: info)
            case .deny(let why): return .denied(why)
            }
        }
    }
}
