import Foundation

extension HeraldConfiguration {
    /// Adds every credential whose name ends in `.pem` to `auth.public_keys`, after the file's own list
    /// (`LoadCredential=app-2025.pem:/etc/herald/keys/app-2025.pem`). Its key id is the credential's name
    /// without `.pem`, as for any key file.
    static func applyKeyCredentials(from directory: String, to root: inout ConfigNode) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let keys = names.filter { $0.hasSuffix(".pem") && $0.count > 4 }.sorted()
        guard !keys.isEmpty else { return }
        var list: [ConfigNode] = []
        if let existing = root.field(section: "auth", key: "public_keys"), case .sequence(let items) = existing.value {
            list = items
        }
        list += keys.map { ConfigNode(.scalar((directory as NSString).appendingPathComponent($0))) }
        root.set(section: "auth", key: "public_keys", to: ConfigNode(.sequence(list)))
    }
}
