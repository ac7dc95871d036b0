/// The channel attributes a Pusher trigger asks to be told in its answer (`info`, comma-separated):
/// `subscription_count`, and `user_count` (presence channels only).
public struct TriggerInfo: Sendable, Hashable {
    public var subscriptionCount = false
    public var userCount = false

    public init(subscriptionCount: Bool = false, userCount: Bool = false) {
        self.subscriptionCount = subscriptionCount
        self.userCount = userCount
    }

    /// Reads `info`; nil when it names an attribute Pusher's API does not have.
    public init?(_ text: String) {
        for attribute in text.split(separator: ",") {
            switch String(attribute.filter { $0 != " " }) {
            case "subscription_count": subscriptionCount = true
            case "user_count": userCount = true
            default: return nil
            }
        }
    }
}
