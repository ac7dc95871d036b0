/// Reads typed values out of a configuration tree, collecting every problem instead of stopping at the first.
///
/// A value that cannot be read is reported and replaced by its default so that reading goes on and later keys
/// are checked too; a configuration with any problem is never used.
struct ConfigReader {
    private(set) var problems: [ConfigProblem] = []
    /// Key paths whose value came from outside the file, mapped to the name to report instead: the environment
    /// variable or credential file that supplied it.
    var origins: [String: String] = [:]
    /// The file line of every key and list entry read so far, for problems found after reading (duplicates).
    private var lines: [String: Int] = [:]

    init(origins: [String: String] = [:]) {
        self.origins = origins
    }

    /// Records a problem at `path`, or at the variable or credential that supplied the value there.
    mutating func report(_ path: String, _ message: String, line: Int? = nil) {
        if let origin = origins[path] {
            problems.append(ConfigProblem(keyPath: origin, message: message))
        } else {
            problems.append(ConfigProblem(keyPath: path, message: message, line: line ?? lines[path]))
        }
    }

    /// Records a problem that did not come from reading the file, such as an unknown environment variable.
    mutating func report(_ problem: ConfigProblem) {
        problems.append(problem)
    }

    /// Records a problem about a value read from the tree.
    mutating func report(_ path: String, _ message: String, node: ConfigNode?) {
        report(path, message, line: node?.line)
    }

    /// Opens a mapping whose keys must be among `known`, reporting any other key with the nearest known one.
    /// A null mapping reads as empty (every key at its default); any other shape is reported and gives `nil`.
    mutating func fields(_ node: ConfigNode?, at path: String, known: [String]) -> ConfigFields? {
        guard let node else { return ConfigFields(path: path, line: nil, entries: [:]) }
        switch node.value {
        case .null:
            return ConfigFields(path: path, line: node.line, entries: [:])
        case .mapping(let pairs):
            var entries: [String: ConfigNode] = [:]
            for (key, value) in pairs {
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                if known.contains(key) {
                    entries[key] = value
                    lines[keyPath] = value.line
                } else if let suggestion = NameSuggestion.closest(to: key, in: known) {
                    report(keyPath, "unknown key (did you mean \"\(suggestion)\"?)", node: value)
                } else {
                    report(keyPath, "unknown key (known keys: \(known.joined(separator: ", ")))", node: value)
                }
            }
            return ConfigFields(path: path, line: node.line, entries: entries)
        default:
            let expected = known.isEmpty ? "a mapping" : "a mapping of \(known.joined(separator: ", "))"
            report(path, "must be \(expected) (got \(node.summary))", node: node)
            return nil
        }
    }

    /// Reads a mapping section; an absent or unreadable one reads as empty, every key at its default.
    mutating func section<Section: ConfigSection>(_ root: ConfigFields, _ name: String) -> Section {
        let path = root.path(name)
        let fields = fields(root[name], at: path, known: Section.allKeys)
        return Section(reading: fields ?? ConfigFields(path: path, line: nil, entries: [:]), with: &self)
    }

    // MARK: Scalars

    /// An integer in `minimum...maximum`; `_` separators are allowed (`1_048_576`).
    mutating func integer(
        _ fields: ConfigFields, _ key: String, default defaultValue: Int, atLeast minimum: Int,
        atMost maximum: Int = .max
    ) -> Int {
        guard let node = fields[key] else { return defaultValue }
        let expected =
            maximum == .max ? "an integer >= \(minimum)" : "an integer from \(minimum) to \(maximum)"
        guard case .scalar(let text) = node.value, let value = Self.integer(from: text),
            (minimum...maximum).contains(value)
        else {
            report(fields.path(key), "must be \(expected) (got \(node.summary))", node: node)
            return defaultValue
        }
        return value
    }

    /// Text; YAML numbers and booleans count as their text.
    mutating func string(_ fields: ConfigFields, _ key: String, default defaultValue: String) -> String {
        guard let node = fields[key] else { return defaultValue }
        guard case .scalar(let text) = node.value else {
            report(fields.path(key), "must be a string (got \(node.summary))", node: node)
            return defaultValue
        }
        return text
    }

    /// Text or null; an empty string reads as null.
    mutating func optionalString(_ fields: ConfigFields, _ key: String, default defaultValue: String?) -> String? {
        guard let node = fields[key] else { return defaultValue }
        switch node.value {
        case .null: return nil
        case .scalar(let text): return text.isEmpty ? nil : text
        default:
            report(fields.path(key), "must be a string or null (got \(node.summary))", node: node)
            return defaultValue
        }
    }

    /// Text that must be present and non-empty: for the fields of list entries, which have no defaults.
    mutating func requiredString(_ fields: ConfigFields, _ key: String) -> String? {
        guard let node = fields[key] else {
            report(fields.path(key), "is required", line: fields.line)
            return nil
        }
        guard case .scalar(let text) = node.value else {
            report(fields.path(key), "must be a string (got \(node.summary))", node: node)
            return nil
        }
        guard !text.isEmpty else {
            report(fields.path(key), "must not be empty", node: node)
            return nil
        }
        return text
    }

    /// One of a fixed set of words.
    mutating func choice<Choice: RawRepresentable<String> & CaseIterable>(
        _ fields: ConfigFields, _ key: String, default defaultValue: Choice
    ) -> Choice {
        guard let node = fields[key] else { return defaultValue }
        return choice(node, at: fields.path(key)) ?? defaultValue
    }

    /// One of a fixed set of words, read from a bare node (a list element).
    mutating func choice<Choice: RawRepresentable<String> & CaseIterable>(_ node: ConfigNode, at path: String)
        -> Choice?
    {
        if case .scalar(let text) = node.value, let value = Choice(rawValue: text) { return value }
        let words = Choice.allCases.map(\.rawValue).joined(separator: ", ")
        report(path, "must be one of \(words) (got \(node.summary))", node: node)
        return nil
    }

    /// A `host:port` address.
    mutating func listenAddress(_ fields: ConfigFields, _ key: String, default defaultValue: ListenAddress)
        -> ListenAddress
    {
        guard let node = fields[key] else { return defaultValue }
        guard case .scalar(let text) = node.value else {
            report(fields.path(key), "must be a host:port string (got \(node.summary))", node: node)
            return defaultValue
        }
        do {
            return try ListenAddress(parsing: text)
        } catch {
            report(fields.path(key), "\(error.reason) (got \(node.summary))", node: node)
            return defaultValue
        }
    }

    // MARK: Lists

    /// A list whose elements are read by `element`, which reports its own problems and returns `nil` for an
    /// unreadable element. Null is not an empty list: it usually means every entry was commented out.
    ///
    /// Each value comes with its index in the file, so later checks can name the entry.
    mutating func indexedList<Element>(
        _ node: ConfigNode?, at path: String, default defaultValue: [Element],
        element: (inout ConfigReader, ConfigNode, String) -> Element?
    ) -> [(index: Int, value: Element)] {
        guard let node else { return defaultValue.enumerated().map { ($0.offset, $0.element) } }
        guard case .sequence(let items) = node.value else {
            let hint = node.summary == "null" ? "; write [] for none" : ""
            report(path, "must be a list (got \(node.summary))\(hint)", node: node)
            return defaultValue.enumerated().map { ($0.offset, $0.element) }
        }
        var values: [(index: Int, value: Element)] = []
        for (index, item) in items.enumerated() {
            lines["\(path)[\(index)]"] = item.line
            if let value = element(&self, item, "\(path)[\(index)]") { values.append((index, value)) }
        }
        return values
    }

    /// A list of a mapping's key, each entry read by `element`.
    mutating func list<Element>(
        _ fields: ConfigFields, _ key: String, default defaultValue: [Element],
        element: (inout ConfigReader, ConfigNode, String) -> Element?
    ) -> [Element] {
        indexedList(fields[key], at: fields.path(key), default: defaultValue, element: element).map(\.value)
    }

    /// Reports every non-empty value after its first occurrence, naming the entry that has it first.
    mutating func reportDuplicates(_ values: [(index: Int, value: String)], list: String, field: String) {
        var first: [String: Int] = [:]
        for (index, value) in values where !value.isEmpty {
            if let earlier = first[value] {
                report(
                    "\(list)[\(index)].\(field)", "duplicate \"\(value)\", already used by \(list)[\(earlier)].\(field)"
                )
            } else {
                first[value] = index
            }
        }
    }

    /// A list of non-empty strings.
    mutating func stringList(_ fields: ConfigFields, _ key: String, default defaultValue: [String]) -> [String] {
        list(fields, key, default: defaultValue) { reader, node, path in reader.nonEmptyString(node, at: path) }
    }

    /// A non-empty string read from a bare node (a list element).
    mutating func nonEmptyString(_ node: ConfigNode, at path: String) -> String? {
        guard case .scalar(let text) = node.value, !text.isEmpty else {
            report(path, "must be a non-empty string (got \(node.summary))", node: node)
            return nil
        }
        return text
    }

    // MARK: Mappings

    /// A mapping of any keys to non-empty strings (`{"forum.7": moderator}`).
    mutating func stringMapping(_ fields: ConfigFields, _ key: String, default defaultValue: [String: String])
        -> [String: String]
    {
        guard let node = fields[key] else { return defaultValue }
        let path = fields.path(key)
        switch node.value {
        case .null:
            return [:]
        case .mapping(let pairs):
            var values: [String: String] = [:]
            for (name, value) in pairs {
                if let text = nonEmptyString(value, at: "\(path).\(name)") { values[name] = text }
            }
            return values
        default:
            report(path, "must be a mapping of names to strings (got \(node.summary))", node: node)
            return defaultValue
        }
    }

    static func integer(from text: String) -> Int? {
        guard !text.hasPrefix("_"), !text.hasSuffix("_") else { return nil }
        return Int(text.filter { $0 != "_" })
    }
}
