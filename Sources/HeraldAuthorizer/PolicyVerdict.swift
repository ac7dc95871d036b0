/// What the rules say about a subscription before any hook is asked.
enum PolicyVerdict: Sendable, Equatable {
    case allow
    /// Refused, with the reason written for the operator reading the authorizer's log.
    case deny(String)
    /// The matching rule leaves the decision to the backend authorization hook.
    case askHook
}
