/// The members of one JSON object, in the order they appeared. Nested values stay unparsed slices until asked.
public struct JSONObject: Sendable, Hashable {
    /// Every member in input order, duplicates included.
    public let members: [JSONMember]

    init(members: [JSONMember]) {
        self.members = members
    }

    /// The first member named `key`, if any.
    public subscript(key: String) -> JSONMember? {
        members.first { $0.key == key }
    }
}
