/// Decides who may subscribe to a channel. `RuleChannelPolicy` is Herald's: the configured and built-in
/// channel rules, with the backend authorization hook for rules that name it.
public protocol ChannelPolicy: Sendable {
    func decide(_ question: SubscriptionQuestion) async -> SubscriptionDecision
}

/// The answer to a subscription question.
public enum SubscriptionDecision: Sendable, Equatable {
    /// Allowed; `info` is the hook's presence member info as JSON text, when it gave some.
    case allowed(info: String?)
    /// Refused, with why, for the authorizer's log.
    case denied(String)

    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}
