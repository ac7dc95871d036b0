/// `channels`: subscription rules checked, in order, before Herald's built-in channel policy.
///
/// The first rule whose pattern matches a channel decides; a channel no rule matches falls through to the
/// built-in policy (the seed channel strategy). The default, no rules, is the built-in policy alone.
public struct ChannelsConfig: Sendable, Equatable {
    public var rules: [ChannelRule]

    public init(rules: [ChannelRule] = []) {
        self.rules = rules
    }
}

extension ChannelsConfig: ConfigSection {
    static let scalarKeys: [String] = []
    static let listKeys = ["rules"]

    init(reading fields: ConfigFields, with reader: inout ConfigReader) {
        self.init()
        rules = reader.list(fields, "rules", default: rules) { reader, node, path in
            ChannelRule.read(node, at: path, with: &reader)
        }
    }
}
