import HeraldModel

/// One entry of `events.online_events`: an event Herald publishes itself when a user holding `role` comes online
/// (its first connection on any edge) and when it goes offline (its last connection gone for
/// `edge.presence_grace_ms`), such as the seed's `customer:online` / `customer:offline` on `customers`.
///
/// The event's `data` is `{<id_field>: "<user id>", "isOnline": true|false, "lastSeen": <ms since the epoch>}`,
/// and its audience is decided by `events.audiences` like any published event's.
public struct OnlineEventRule: Sendable, Hashable {
    /// The role a user must hold (in its token) for its comings and goings to be published.
    public var role: String
    /// The channel the events are published on.
    public var channel: String
    /// Event names for coming online and going offline.
    public var online: String
    public var offline: String
    /// The `data` member holding the user's id.
    public var idField: String

    public init(role: String, channel: String, online: String, offline: String, idField: String) {
        self.role = role
        self.channel = channel
        self.online = online
        self.offline = offline
        self.idField = idField
    }

    /// The seed's customer status events.
    public static let customers = OnlineEventRule(
        role: "customer", channel: "customers", online: "customer:online", offline: "customer:offline",
        idField: "customerId")
}

extension OnlineEventRule {
    static let keys = ["role", "channel", "online", "offline", "id_field"]

    static func read(_ node: ConfigNode, at path: String, with reader: inout ConfigReader) -> OnlineEventRule? {
        guard let fields = reader.fields(node, at: path, known: keys) else { return nil }
        let role = reader.requiredString(fields, "role")
        let channel = reader.requiredString(fields, "channel")
        let online = reader.requiredString(fields, "online")
        let offline = reader.requiredString(fields, "offline")
        let idField = reader.requiredString(fields, "id_field")
        for (key, name) in [("online", online), ("offline", offline)] {
            if let name, !EventName.isValid(name) {
                reader.report(fields.path(key), "\"\(name)\" is not a valid event name", node: fields[key])
            }
        }
        if let channel, !ChannelName.isValid(channel) {
            reader.report(fields.path("channel"), "\"\(channel)\" is not a valid channel name", node: fields["channel"])
        }
        guard let role, let channel, let online, let offline, let idField else { return nil }
        return OnlineEventRule(role: role, channel: channel, online: online, offline: offline, idField: idField)
    }
}
