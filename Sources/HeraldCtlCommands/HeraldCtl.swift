import ArgumentParser

/// `heraldctl`: talks to every Herald daemon through its admin socket.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct HeraldCtl: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "heraldctl",
        abstract: "Operate Herald: status, stats, tokens, configuration checks.",
        subcommands: [
            StatusCommand.self, StatsCommand.self, HealthCommand.self, CallCommand.self, ReloadCommand.self,
            RevokeCommand.self, TokenCommand.self, CheckConfigCommand.self,
        ]
    )

    public init() {}
}
