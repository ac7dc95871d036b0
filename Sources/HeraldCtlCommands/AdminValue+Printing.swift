import Foundation
import HeraldAdmin

extension AdminValue {
    /// Compact, key-sorted JSON, for `--json` output and scripts.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// `key: value` lines, nested objects indented, for people.
    func lines(indent: String = "") -> [String] {
        switch self {
        case .object(let members):
            return members.keys.sorted().flatMap { key -> [String] in
                let value = members[key]!
                if case .object = value { return ["\(indent)\(key):"] + value.lines(indent: indent + "  ") }
                return ["\(indent)\(key): \(value.scalarText)"]
            }
        default:
            return [indent + scalarText]
        }
    }

    var scalarText: String {
        switch self {
        case .null: "-"
        case .bool(let value): "\(value)"
        case .int(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let value): value
        case .array, .object: json
        }
    }
}
