/// A mapping section of the configuration file (`edge`, `limits`, …): its keys, its defaults, how it is read.
///
/// The key lists drive unknown-key detection and the `HERALD_<SECTION>_<KEY>` environment overrides, so a key
/// added to a section is overridable without further wiring.
protocol ConfigSection: Sendable {
    /// Keys holding one value; each may be overridden by an environment variable.
    static var scalarKeys: [String] { get }
    /// Keys holding lists; only the file sets them.
    static var listKeys: [String] { get }
    /// Keys holding nested mappings (`auth.hook`); only the file sets them.
    static var mappingKeys: [String] { get }
    /// Reads the keys present in `fields`, leaving the others at their defaults and reporting what is wrong.
    init(reading fields: ConfigFields, with reader: inout ConfigReader)
}

extension ConfigSection {
    static var listKeys: [String] { [] }
    static var mappingKeys: [String] { [] }
    static var allKeys: [String] { scalarKeys + listKeys + mappingKeys }
}
