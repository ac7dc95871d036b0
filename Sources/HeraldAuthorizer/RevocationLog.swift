import Foundation
import HeraldModel

/// Revoked token ids kept across restarts: an append-only file, one `jti` per line, read once at start.
///
/// The file lives in the authorizer's state directory (`$STATE_DIRECTORY`, from `StateDirectory=herald`
/// under systemd; `<runtime dir>/state` under `herald run`). A line that was cut short by a crash is read as
/// a (harmless) id of its own; blank lines are skipped.
public struct RevocationLog: Sendable {
    public static let fileName = "revoked-tokens"
    /// Longest `jti` accepted; longer ones are refused rather than written.
    public static let maximumTokenIDLength = 256

    public let path: String

    public init(directory: String) {
        path = (directory as NSString).appendingPathComponent(Self.fileName)
    }

    /// Where the log lives: the first path of `$STATE_DIRECTORY`, else `state` under the runtime directory.
    public static func directory(environment: [String: String], runtimeDirectory: String) -> String {
        if let state = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !state.isEmpty {
            return String(state)
        }
        return (runtimeDirectory as NSString).appendingPathComponent("state")
    }

    /// Every id revoked so far; none when the file does not exist yet.
    public func load() throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HeraldError(.internal, "cannot read \(path); check that the authorizer's user owns it")
        }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        return Set(lines.map(String.init).filter { !$0.isEmpty })
    }

    /// Appends `tokenID` and syncs it to disk before returning, creating the directory and file as needed.
    public func append(_ tokenID: String) throws {
        try Self.validate(tokenID)
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            if !FileManager.default.fileExists(atPath: path) {
                guard
                    FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
                else { throw HeraldError(.internal, "cannot create \(path)") }
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((tokenID + "\n").utf8))
            try handle.synchronize()
        } catch let error as HeraldError {
            throw error
        } catch {
            throw HeraldError(
                .internal,
                "cannot record the revocation in \(path): \(error.localizedDescription); check the "
                    + "state directory's permissions and free space")
        }
    }

    /// A `jti` fits on one line of the log: 1–256 characters, no control characters.
    public static func validate(_ tokenID: String) throws {
        guard !tokenID.isEmpty, tokenID.count <= maximumTokenIDLength,
            !tokenID.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw HeraldError(
                .invalidPayload,
                "a jti is 1–\(maximumTokenIDLength) characters without control characters; copy it from the token")
        }
    }
}
