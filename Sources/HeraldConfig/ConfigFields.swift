/// A mapping in the configuration tree whose keys have been checked against the known ones.
struct ConfigFields {
    /// Key path of the mapping itself (`edge`, `apps[0]`); empty for the root.
    let path: String
    let line: Int?
    private let entries: [String: ConfigNode]

    init(path: String, line: Int?, entries: [String: ConfigNode]) {
        self.path = path
        self.line = line
        self.entries = entries
    }

    subscript(key: String) -> ConfigNode? { entries[key] }

    /// The key path of one of this mapping's keys.
    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
