import Yams

/// The parsed configuration before typing: YAML's shape, with the line each value sits on.
///
/// Herald reads this tree by hand rather than through `Decodable` so that it can report every problem at once,
/// name each by its key path, and patch in environment overrides and credentials before reading.
struct ConfigNode {
    enum Value {
        case null
        case scalar(String)
        case sequence([ConfigNode])
        case mapping([(key: String, value: ConfigNode)])
    }

    var value: Value
    var line: Int?

    init(_ value: Value, line: Int? = nil) {
        self.value = value
        self.line = line
    }

    /// Converts Yams' tree. Plain `~`, `null`, `Null`, `NULL` and empty scalars are null; quoted ones are text.
    init(_ node: Node) {
        switch node {
        case .scalar(let scalar):
            let isPlain = scalar.style == .plain || scalar.style == .any
            let isNullWord = ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            let isNull = isPlain && isNullWord && scalar.tag.rawValue.isEmpty
            self.init(isNull ? .null : .scalar(scalar.string), line: scalar.mark?.line)
        case .sequence(let sequence):
            self.init(.sequence(sequence.map(ConfigNode.init)), line: sequence.mark?.line)
        case .mapping(let mapping):
            let pairs = mapping.map { pair in
                (key: pair.key.scalar?.string ?? "<\(pair.key)>", value: ConfigNode(pair.value))
            }
            self.init(.mapping(pairs), line: mapping.mark?.line)
        case .alias(let alias):
            // Yams resolves aliases while composing; an unresolved one has nothing to read.
            self.init(.null, line: alias.mark?.line)
        }
    }

    /// How a value is named in a problem's "(got …)": scalars quoted, other shapes by kind.
    var summary: String {
        switch value {
        case .null: "null"
        case .scalar(let text): "\"\(text)\""
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// The node at `section.key` in a root mapping, when both are there.
    func field(section: String, key: String) -> ConfigNode? {
        guard case .mapping(let sections) = value, let found = sections.first(where: { $0.key == section }),
            case .mapping(let fields) = found.value.value
        else { return nil }
        return fields.first(where: { $0.key == key })?.value
    }

    /// Sets `section.key` to `node` in a root mapping, adding the section when it is missing or null. Leaves a
    /// section of the wrong shape alone: reading it reports that.
    mutating func set(section: String, key: String, to node: ConfigNode) {
        if case .null = value { value = .mapping([]) }
        guard case .mapping(var sections) = value else { return }
        guard let index = sections.firstIndex(where: { $0.key == section }) else {
            sections.append((key: section, value: ConfigNode(.mapping([(key: key, value: node)]))))
            value = .mapping(sections)
            return
        }
        var fields: [(key: String, value: ConfigNode)]
        switch sections[index].value.value {
        case .null: fields = []
        case .mapping(let existing): fields = existing
        default: return
        }
        if let field = fields.firstIndex(where: { $0.key == key }) {
            fields[field].value = node
        } else {
            fields.append((key: key, value: node))
        }
        sections[index].value.value = .mapping(fields)
        value = .mapping(sections)
    }
}
