import HeraldModel
import NIOCore

extension WireEvent {
    /// Reads an event object, validating its id, name and channels.
    init(_ fields: WireFields) throws {
        let idText = try fields.string("id")
        guard let id = EventID(idText) else { throw fields.invalid("id", "\"\(idText)\" \(WireFields.Rule.eventID)") }
        let name = try fields.string("event")
        guard EventName.isValidPusherName(name) else {
            throw fields.invalid("event", "\"\(name)\" \(WireFields.Rule.eventName)")
        }
        let channels = try fields.strings("channels", rule: WireFields.Rule.channel, isValid: ChannelName.isValid)
        guard !channels.isEmpty else { throw fields.invalid("channels", "must name at least one channel") }
        let priorityText = try fields.string("priority")
        guard let priority = Priority(rawValue: priorityText) else {
            throw fields.invalid("priority", "\"\(priorityText)\" is not one of high, medium, low")
        }
        let userID = fields.optionalValue("user_id")
        if let userID, userID.kind != .number, userID.kind != .string {
            throw fields.invalid("user_id", "must be a number or a string")
        }
        guard let data = fields.object.value(forKey: "data") else { throw fields.invalid("data", "missing") }
        self.init(
            id: id, name: name, channels: channels, timestamp: try fields.string("timestamp"), priority: priority,
            userID: userID?.raw, appID: try fields.optionalString("app_id"),
            isClientEvent: try fields.optionalBool("client") ?? false,
            audience: try Self.audience(try fields.fields("audience")),
            collapseKey: try fields.optionalString("collapse_key"), data: data.raw,
            metadata: try fields.optionalObject("metadata")?.raw, offset: try fields.optionalInt64("offset"),
            epoch: try fields.optionalString("epoch"), sequence: try fields.optionalInt64("sequence")
        )
    }

    private static func audience(_ fields: WireFields?) throws -> Audience {
        guard let fields else { return Audience() }
        func optionalUserIDs(_ key: String) throws -> [String]? {
            guard fields.optionalValue(key) != nil else { return nil }
            return try fields.array(key) { item, path in
                if let string = item.string { return string }
                guard item.int64 != nil,
                    let digits = item.raw.getString(at: item.raw.readerIndex, length: item.raw.readableBytes)
                else {
                    throw WireError.invalidField(path(), "must be a string or an integer")
                }
                return digits
            }
        }
        return Audience(
            roles: fields.optionalValue("roles") == nil ? nil : try fields.strings("roles"),
            owners: try optionalUserIDs("owners"),
            userIDs: try optionalUserIDs("user_ids"), excludeUserIDs: try optionalUserIDs("exclude_user_ids"),
            excludeSocketID: try fields.optionalString("socket_id")
        )
    }
}
