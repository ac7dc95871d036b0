import HeraldConfig
import HeraldDaemonKit
import HeraldModel
import HeraldTokens
import Logging
import NIOCore

extension AuthorizerService {
    /// The channel policy a configuration describes: its rules, the built-in rules, and its hook.
    static func policy(_ configuration: HeraldConfiguration, logger: Logger) -> any ChannelPolicy {
        RuleChannelPolicy(
            channels: configuration.channels, auth: configuration.auth,
            hook: HTTPAuthHook.configured(configuration.auth.hook, logger: logger))
    }

    /// `authorize-subscribe`: a malformed channel name is `INVALID_PAYLOAD` before any rule runs; a presented
    /// subscription token must verify; then the policy decides, and a refusal is `PERMISSION_DENIED` saying why.
    static func decideSubscribe(
        _ ask: StageRequests.AuthorizeSubscribe, verifier: TokenVerifier, policy: any ChannelPolicy
    ) async throws -> ByteBuffer {
        guard ChannelRuleBook.isWellFormed(ask.channel) else {
            throw HeraldError(
                .invalidPayload,
                "'\(ask.channel)' is not a valid channel name: use 1-200 of A-Z a-z 0-9 _ . : @ = , -")
        }
        var question = SubscriptionQuestion(principal: ask.principal, channel: ask.channel, socketID: ask.socketID)
        if let token = ask.token, !token.isEmpty {
            question.tokenChannel = try await SubscriptionToken.grantedChannel(
                token, to: ask.principal, verifier: verifier)
        }
        switch await policy.decide(question) {
        case .allowed(let info):
            return StageRequests.encode(StageRequests.SubscribeVerdict(allowed: true, info: info))
        case .denied(let why):
            throw HeraldError(.permissionDenied, "not allowed to subscribe to \(ask.channel): \(why)")
        }
    }
}
