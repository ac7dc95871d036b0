import HeraldAppSigning
import HeraldDaemonKit
import HeraldModel
import NIOCore

/// A Pusher channel-state question or user termination whose signed head was accepted, with its query
/// parameters checked: what to ask the edges and how to render their merged answer.
public struct PusherQuery: Sendable, Hashable {
    /// What is asked, after `info` and `filter_by_prefix` were checked.
    public enum Question: Sendable, Hashable {
        /// The occupied channels, optionally those whose name starts with `prefix`; `userCount` only for presence
        /// channels.
        case channels(prefix: String?, userCount: Bool)
        case channel(String, subscriptionCount: Bool, userCount: Bool)
        case users(channel: String)
        case terminateConnections(userID: String)
    }

    /// Channels whose name starts with this have members (users); the others only subscriptions.
    static let presencePrefix = "presence-"

    public var appID: String
    public var question: Question
    public var signature: VerifiedRequest

    /// 401 when the body is not the one whose MD5 was signed (empty for the GET endpoints).
    public func verifyBody(_ body: some Sequence<UInt8>) throws(HeraldError) {
        do {
            try signature.verifyBody(body)
        } catch {
            throw HeraldError(.authenticationFailed, error.message)
        }
    }

    /// Checks an endpoint's query parameters the way Pusher does: `info` names attributes the endpoint has,
    /// `user_count` only where every channel asked about is a presence channel, `users` only on presence
    /// channels. Every refusal is `INVALID_PAYLOAD` (400) and says what to send instead.
    public static func question(
        for endpoint: PusherQueryEndpoint, parameters: [QueryParameter]
    ) throws(HeraldError) -> Question {
        func value(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
        let info = Set((value("info") ?? "").split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty })
        switch endpoint {
        case .channels:
            let prefix = value("filter_by_prefix").flatMap { $0.isEmpty ? nil : $0 }
            try refuseUnknown(info, allowed: ["user_count"], on: endpoint)
            let userCount = info.contains("user_count")
            if userCount, !(prefix ?? "").hasPrefix(presencePrefix) {
                throw HeraldError(
                    .invalidPayload,
                    "info=user_count needs filter_by_prefix=presence-: only presence channels have users; drop "
                        + "user_count or add the filter")
            }
            return .channels(prefix: prefix, userCount: userCount)
        case .channel(let channel):
            try refuseUnknown(info, allowed: ["user_count", "subscription_count"], on: endpoint)
            let userCount = info.contains("user_count")
            if userCount, !channel.hasPrefix(presencePrefix) {
                throw HeraldError(
                    .invalidPayload,
                    "info=user_count is only available for presence channels and \"\(channel)\" is not one; ask "
                        + "for subscription_count instead")
            }
            return .channel(channel, subscriptionCount: info.contains("subscription_count"), userCount: userCount)
        case .users(let channel):
            guard channel.hasPrefix(presencePrefix) else {
                throw HeraldError(
                    .invalidPayload,
                    "users are only listed for presence channels and \"\(channel)\" is not one; ask "
                        + "GET /apps/{appId}/channels/\(channel)?info=subscription_count instead")
            }
            return .users(channel: channel)
        case .terminateConnections(let userID):
            return .terminateConnections(userID: userID)
        }
    }

    private static func refuseUnknown(
        _ info: Set<String>, allowed: Set<String>, on endpoint: PusherQueryEndpoint
    ) throws(HeraldError) {
        let unknown = info.subtracting(allowed).sorted()
        guard !unknown.isEmpty else { return }
        throw HeraldError(
            .invalidPayload,
            "info=\(unknown.joined(separator: ",")) is not an attribute of \(endpoint.template); it takes "
                + allowed.sorted().joined(separator: " and "))
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
