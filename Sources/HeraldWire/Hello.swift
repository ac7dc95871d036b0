/// The first frame each side sends on a connection: who it is and which protocol version it speaks.
public struct Hello: Sendable, Hashable {
    /// The sending stage: `ingress`, `authorizer`, `batcher` or `ws-edge`.
    public var stage: String
    /// This process among the stage's instances, for logs (`ingress-4242`).
    public var instance: String
    /// The sender's `WireProtocol.version`.
    public var version: Int

    public init(stage: String, instance: String, version: Int = WireProtocol.version) {
        self.stage = stage
        self.instance = instance
        self.version = version
    }
}
