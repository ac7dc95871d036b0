import HeraldModel

extension PublishFields {
    /// The channels named by `channel` and/or `channels`, without repeats: at least one, at most `maximum`.
    func channels(maximum: Int) throws(HeraldError) -> [String] {
        let rule = PublishRequestParser.channelRule
        let single = try string("channel", rule: rule, isValid: ChannelName.isValid)
        let many = try strings("channels", rule: rule, isValid: ChannelName.isValid)
        if let many, many.isEmpty { throw invalid("channels", "must name at least one channel") }
        var channels: [String] = []
        for channel in (single.map { [$0] } ?? []) + (many ?? []) where !channels.contains(channel) {
            channels.append(channel)
        }
        guard !channels.isEmpty else { throw invalid("channel", "required (or channels)") }
        guard channels.count <= maximum else {
            throw invalid("channels", "names \(channels.count) channels, at most \(maximum) are allowed per event")
        }
        return channels
    }
}
