/// Maps swift-log metadata keys to journald field names, so `journalctl HERALD_EVENT_ID=evt_…` finds a
/// record logged with `herald.event.id` metadata.
///
/// journald accepts field names of uppercase `A`–`Z`, `0`–`9` and `_`, at most 64 characters, not starting
/// with `_` (reserved for trusted fields) or a digit. Every Herald field starts with `HERALD_`, which
/// satisfies both rules and keeps Herald's fields apart from journald's own.
public enum JournaldFieldName {
    /// journald's limit on field-name length.
    public static let maximumLength = 64

    /// The field name for a metadata key: `herald.event.id` → `HERALD_EVENT_ID`, `herald.conn.id` →
    /// `HERALD_CONN_ID`, any other key `a.b-c` → `HERALD_A_B_C`.
    ///
    /// Letters are uppercased, every other character that is not an ASCII letter or digit becomes `_`, and
    /// `HERALD_` is prefixed unless the key already starts with `herald.` (or is `herald`). Names longer
    /// than 64 characters are cut.
    public static func forMetadataKey(_ key: String) -> String {
        var sanitized = ""
        sanitized.reserveCapacity(key.utf8.count + 7)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                sanitized.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                sanitized.unicodeScalars.append(Unicode.Scalar(byte - 32))
            case 0x80...0xBF:
                continue  // continuation bytes: one `_` per non-ASCII character, written for its lead byte
            default:
                sanitized.append("_")
            }
        }
        let name = sanitized == "HERALD" || sanitized.hasPrefix("HERALD_") ? sanitized : "HERALD_" + sanitized
        return String(name.prefix(Self.maximumLength))
    }
}
