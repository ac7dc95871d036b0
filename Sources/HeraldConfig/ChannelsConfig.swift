/// `channels`: subscription rules checked, in order, before Herald's built-in channel rules, and the table of
/// roles that forum channels require.
///
/// The first rule whose pattern matches a channel decides; a channel no rule matches falls through to the
/// built-in rules (the seed channel strategy, `ChannelsConfig.builtInRules`), and a channel none of those
/// matches is refused. The default, no rules, is the built-in rules alone.
public struct ChannelsConfig: Sendable, Equatable {
    public var rules: [ChannelRule]
    /// Channel name (`forum.7`, `thread.12`, `presence-thread.12`) to the lowest role that may subscribe, or
    /// `hook`; read by rules that allow `required_role`. A channel with no entry is open to every signed-in
    /// user. Default empty.
    public var requiredRoles: [String: String]
    /// Which events clients may send on which channels, first matching channel pattern deciding. Default
    /// `ClientEventRule.defaults`.
    public var clientEvents: [ClientEventRule]

    public init(
        rules: [ChannelRule] = [], requiredRoles: [String: String] = [:],
        clientEvents: [ClientEventRule] = ClientEventRule.defaults
    ) {
        self.rules = rules
        self.requiredRoles = requiredRoles
        self.clientEvents = clientEvents
    }
}

extension ChannelsConfig: ConfigSection {
    static let scalarKeys: [String] = []
    static let listKeys = ["rules", "client_events"]
    static let mappingKeys = ["required_roles"]

    init(reading fields: ConfigFields, with reader: inout ConfigReader) {
        self.init()
        rules = reader.list(fields, "rules", default: rules) { reader, node, path in
            ChannelRule.read(node, at: path, with: &reader)
        }
        requiredRoles = reader.stringMapping(fields, "required_roles", default: requiredRoles)
        clientEvents = reader.list(fields, "client_events", default: clientEvents) { reader, node, path in
            ClientEventRule.read(node, at: path, with: &reader)
        }
    }
}
