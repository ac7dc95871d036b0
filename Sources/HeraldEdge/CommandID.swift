/// The `id` a client put on a command, kept as the exact JSON it sent (`7`, `"a1"`), so the ack echoes the
/// same value and type whatever the client chose.
public struct CommandID: Sendable, Hashable, CustomStringConvertible {
    /// One JSON string or number, as it appeared in the command.
    public let json: String

    public init(json: String) { self.json = json }

    public var description: String { json }
}
