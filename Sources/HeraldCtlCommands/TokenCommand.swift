import ArgumentParser
import Foundation
import HeraldConfig
import HeraldDaemonKit
import HeraldTokens

/// `heraldctl token --sub 42 --role admin [--name N] [--ttl 1h] [--config FILE]`: a development token
/// signed with the configured secret.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print a client token signed with the configured HS256 secret.")

    @Option(help: "The user id (the token's sub).") var sub: String
    @Option(name: .customLong("role"), help: "A role (repeatable).") var roles: [String] = []
    @Option(help: "The user's display name.") var name: String?
    @Option(help: "Lifetime: 90s, 30m, 1h, 7d.") var ttl: String = "1h"
    @Option(name: .customLong("channel"), help: "Extra channel grant for the channels claim (repeatable).")
    var channels: [String] = []
    @Option(help: "The info claim: a JSON object describing the user to presence members, e.g. '{\"avatar\":\"…\"}'.")
    var info: String?
    @Option(help: "Configuration file (default: the embedded development configuration).") var config: String?

    func run() async throws {
        guard let seconds = Self.seconds(ttl) else {
            throw ValidationError("--ttl \(ttl): use a number with s, m, h or d, e.g. 1h")
        }
        var claim: ClaimValue?
        if let info {
            guard let value = try? JSONDecoder().decode(ClaimValue.self, from: Data(info.utf8)), case .object = value
            else { throw ValidationError("--info \(info): must be a JSON object, e.g. '{\"avatar\":\"https://…\"}'") }
            claim = value
        }
        let configuration = try ConfigurationSource(path: config).load()
        guard let secret = configuration.auth.jwtSecret else {
            throw ValidationError("auth.jwt_secret is not set in the configuration")
        }
        print(
            try await TokenIssuer.issue(
                secret: secret, subject: sub, roles: roles, name: name, ttlSeconds: seconds,
                issuer: configuration.auth.issuer, audience: configuration.auth.audience,
                channels: channels.isEmpty ? nil : channels, info: claim))
    }

    static func seconds(_ text: String) -> Int64? {
        guard let unit = text.last else { return nil }
        let factors: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let factor = factors[unit], let value = Int64(text.dropLast()), value > 0 { return value * factor }
        return Int64(text).flatMap { $0 > 0 ? $0 : nil }
    }
}
