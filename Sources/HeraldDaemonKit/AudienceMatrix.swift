import HeraldConfig
import HeraldModel
import HeraldWire
import NIOCore

/// Who receives each event, from `events.audiences`: decided once per event here, applied per connection at the
/// edge by `Audience.admits`. The authorizer applies it to every published event; the batcher to the online events
/// it publishes itself (`events.online_events`).
///
/// An event that names one of the matrix's channels takes the grant of the first rule its name matches — the
/// rule's roles and any roles its `data` targets, or the owner its `data` names — narrowed by the publisher's
/// own options. Only the fields a rule needs are read from `data`, and only for events a rule matches.
public struct AudienceMatrix: Sendable {
    private let rules: [(name: GlobPattern, rule: AudienceRule)]
    private let channels: [GlobPattern]

    public init(rules: [AudienceRule], channels: [String]) {
        self.rules = rules.map { ($0.glob, $0) }
        self.channels = channels.map(GlobPattern.init)
    }

    public init(_ events: EventsConfig) {
        self.init(rules: events.audiences, channels: events.audienceChannels)
    }

    /// The audience of `event`: its publisher's audience, narrowed by the matrix when a rule applies.
    public func audience(of event: WireEvent) -> Audience {
        audience(name: event.name, channels: event.channels, data: event.data, publisher: event.audience)
    }

    public func audience(name: String, channels eventChannels: [String], data: ByteBuffer, publisher: Audience)
        -> Audience
    {
        guard eventChannels.contains(where: { channel in channels.contains { $0.matches(channel) } }),
            let rule = rules.first(where: { $0.name.matches(name) })?.rule
        else { return publisher }
        let fields = rule.ownerField == nil && rule.targetRolesField == nil ? nil : Self.object(data)
        guard var roles = rule.roles else { return publisher }
        if let targeted = rule.targetRolesField.flatMap({ Self.strings(fields?[$0]?.value) }) {
            roles += targeted.filter { !roles.contains($0) }
        }
        let owner = rule.ownerField.flatMap { Self.userID(fields?[$0]?.value) }
        var audience = publisher
        if let publisherRoles = publisher.roles {
            audience.roles = roles.filter(publisherRoles.contains)
            let ownerKept = rule.ownerRoles?.contains(where: publisherRoles.contains) ?? false
            audience.owners = ownerKept ? owner.map { [$0] } : nil
        } else {
            audience.roles = roles
            audience.owners = owner.map { [$0] }
        }
        return audience
    }

    /// `data` as an object; `nil` for any other JSON value.
    private static func object(_ data: ByteBuffer) -> JSONObject? {
        guard data.readableBytes > 0 else { return nil }
        return try? JSONScanner.object(data)
    }

    /// A user id as a string: a non-empty string, or an integer's decimal text (`123` is user `"123"`).
    private static func userID(_ value: JSONValueRef?) -> String? {
        guard let value else { return nil }
        if let text = value.string { return text.isEmpty ? nil : text }
        if let number = value.int64 { return String(number) }
        return value.uint64.map { String($0) }
    }

    /// An array of strings; `nil` for anything else, so a malformed list adds no roles.
    private static func strings(_ value: JSONValueRef?) -> [String]? {
        guard let value, value.kind == .array, let items = try? value.array() else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for item in items {
            guard let text = item.string else { return nil }
            strings.append(text)
        }
        return strings
    }
}
