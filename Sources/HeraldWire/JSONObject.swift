import NIOCore

/// The members of one JSON object, in the order they appeared. Nested values stay unparsed slices until asked.
///
/// Members are kept as offsets into the scanned bytes; keys become `String`s and values become slices only when
/// read, so looking up the few fields a stage needs costs no allocation per member.
public struct JSONObject: Sendable {
    /// Where one member's key and value lie in `bytes`.
    struct Entry: Sendable {
        /// The key's first 8 bytes (see `JSONScalar.prefix`); with `keyLength`, decides most lookups alone.
        var keyPrefix: UInt64
        /// Offset of the key's opening quote.
        var keyStart: UInt32
        /// Length of the key's text between the quotes, escapes included.
        var keyLength: UInt32
        var valueStart: UInt32
        var valueEnd: UInt32
        /// For an object value whose members were recorded while scanning: its index in `nested`; else -1.
        var nested: Int32
        var kind: JSONValueRef.Kind
        var keyEscaped: Bool
        var flag: Bool
    }

    /// The scanned bytes; entry offsets count from its reader index.
    let bytes: ByteBuffer
    let entries: [Entry]
    /// Member tables of object values, recorded by the same scan, so reading them needs no second pass.
    let nested: [[Entry]]

    init(bytes: ByteBuffer, entries: [Entry], nested: [[Entry]] = []) {
        self.bytes = bytes
        self.entries = entries
        self.nested = nested
    }

    /// Every member in input order, duplicates included.
    public var members: [JSONMember] {
        entries.map { JSONMember(key: key(of: $0), value: value(of: $0)) }
    }

    /// The number of members, duplicates included.
    public var count: Int { entries.count }

    /// The first member named `key`, if any.
    public subscript(key: String) -> JSONMember? {
        guard let entry = entry(forKey: key) else { return nil }
        return JSONMember(key: key, value: value(of: entry))
    }

    /// The value of the first member named `key`, if any.
    func value(forKey key: String) -> JSONValueRef? {
        guard let entry = entry(forKey: key) else { return nil }
        return value(of: entry)
    }

    /// The first entry whose unescaped key is `key`. Keys of up to 8 bytes are decided by length and prefix
    /// alone; longer or escaped ones are compared byte for byte.
    func entry(forKey key: String) -> Entry? {
        var wanted = key
        return wanted.withUTF8 { wanted in
            let wanted = UnsafeRawBufferPointer(wanted)
            let prefix = JSONScalar.prefix(wanted)
            let length = UInt32(truncatingIfNeeded: wanted.count)
            for entry in entries {
                if entry.keyEscaped {
                    if self.key(of: entry) == key { return entry }
                } else if entry.keyLength == length, entry.keyPrefix == prefix {
                    if length <= 8 || keyBytes(of: entry, equal: wanted) { return entry }
                }
            }
            return nil
        }
    }

    private func keyBytes(of entry: Entry, equal wanted: UnsafeRawBufferPointer) -> Bool {
        bytes.withUnsafeReadableBytes { bytes in
            let start = Int(entry.keyStart) + 1
            return UnsafeRawBufferPointer(rebasing: bytes[start..<(start + Int(entry.keyLength))]).elementsEqual(wanted)
        }
    }

    /// The entry's value as a slice of `bytes`.
    func value(of entry: Entry) -> JSONValueRef {
        let length = Int(entry.valueEnd - entry.valueStart)
        let raw = bytes.getSlice(at: bytes.readerIndex + Int(entry.valueStart), length: length) ?? ByteBuffer()
        let members = entry.nested >= 0 && Int(entry.nested) < nested.count ? nested[Int(entry.nested)] : nil
        return JSONValueRef(kind: entry.kind, raw: raw, flag: entry.flag, members: members)
    }

    /// The entry's string value, read in place; `nil` when it is not a string.
    func string(of entry: Entry) -> String? {
        guard entry.kind == .string else { return nil }
        return withValueBytes(of: entry) { JSONScalar.string($0, escaped: entry.flag) }
    }

    /// The entry's integer value, read in place; `nil` when it is not an integer or does not fit.
    func int64(of entry: Entry) -> Int64? {
        guard entry.kind == .number, entry.flag else { return nil }
        return withValueBytes(of: entry, JSONScalar.int64)
    }

    /// The entry's non-negative integer value, read in place.
    func uint64(of entry: Entry) -> UInt64? {
        guard entry.kind == .number, entry.flag else { return nil }
        return withValueBytes(of: entry, JSONScalar.uint64)
    }

    private func withValueBytes<Result>(of entry: Entry, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        bytes.withUnsafeReadableBytes { bytes in
            body(UnsafeRawBufferPointer(rebasing: bytes[Int(entry.valueStart)..<Int(entry.valueEnd)]))
        }
    }

    private func key(of entry: Entry) -> String {
        bytes.withUnsafeReadableBytes { bytes in
            let start = Int(entry.keyStart)
            let quoted = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + Int(entry.keyLength) + 2)])
            return JSONScalar.string(quoted, escaped: entry.keyEscaped)
        }
    }
}

extension JSONObject: Hashable {
    /// Objects are equal when their members are, in order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.members == rhs.members }
    public func hash(into hasher: inout Hasher) { hasher.combine(members) }
}
