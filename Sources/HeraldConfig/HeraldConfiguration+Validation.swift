import Foundation
import HeraldModel

extension HeraldConfiguration {
    /// Checks that span keys or need more than a value's type: a secret or keys present, files there.
    func validate(with reader: inout ConfigReader) {
        validateAuth(with: &reader)
        validateRequiredRoles(with: &reader)
        validateEngine(with: &reader)
    }

    /// Each `channels.required_roles` entry names a channel and a role of the hierarchy (or `hook`), since
    /// "this role or above" needs a rank.
    private func validateRequiredRoles(with reader: inout ConfigReader) {
        for (channel, role) in channels.requiredRoles.sorted(by: { $0.key < $1.key }) {
            let path = "channels.required_roles.\(channel)"
            if !ChannelName.isValid(channel) {
                reader.report(
                    path, "\"\(channel)\" is not a channel name; give the exact channel, such as \"forum.7\"")
            }
            if role != ChannelRule.Special.hook.rawValue, auth.rank(of: role) == nil {
                reader.report(
                    path,
                    "\"\(role)\" is not in auth.roles; use one of \(auth.roles.joined(separator: ", ")), or hook")
            }
        }
    }

    private func validateAuth(with reader: inout ConfigReader) {
        if (auth.jwtSecret ?? "").isEmpty, auth.publicKeys.isEmpty {
            reader.report(
                "auth.jwt_secret",
                "must not be empty unless auth.public_keys lists PEM files; set it in the file, in "
                    + "HERALD_AUTH_JWT_SECRET, or with LoadCredential=jwt_secret:/etc/herald/jwt_secret")
        }
        for (index, path) in auth.publicKeys.enumerated() where !FileManager.default.fileExists(atPath: path) {
            reader.report("auth.public_keys[\(index)]", "no such file \"\(path)\"; give the path of a PEM public key")
        }
        if auth.roles.isEmpty {
            reader.report("auth.roles", "must list at least one role, lowest first")
        }
        var seen: Set<String> = []
        for (index, role) in auth.roles.enumerated() where !seen.insert(role).inserted {
            reader.report("auth.roles[\(index)]", "\"\(role)\" appears twice; a role has one place in the hierarchy")
        }
    }

    private func validateEngine(with reader: inout ConfigReader) {
        if let url = engine.url {
            let lowered = url.lowercased()
            let scheme = ["redis://", "rediss://"].first { lowered.hasPrefix($0) }
            if scheme == nil || url.count == scheme!.count {
                reader.report("engine.url", "must be a redis://host:port or rediss://host:port URL (got \"\(url)\")")
            }
        } else if engine.type == .redis {
            reader.report("engine.url", "required when engine.type is redis (for example redis://127.0.0.1:6379)")
        }
    }
}
