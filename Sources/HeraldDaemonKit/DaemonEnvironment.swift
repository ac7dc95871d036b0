import HeraldConfig
import HeraldWire
import Logging
import NIOCore
import NIOPosix

/// Everything a stage is handed when it starts: who it is, its configuration, its already-bound sockets
/// and the event loops to serve them on.
public struct DaemonEnvironment: Sendable {
    public let stage: Stage
    public let instance: String
    public let configuration: HeraldConfiguration
    public let runtime: RuntimeDirectory
    /// Listening fds by socket name (`http`, `input`, `websocket`, `admin`).
    public let listeners: [String: CInt]
    public let group: MultiThreadedEventLoopGroup
    public let logger: Logger

    public init(
        stage: Stage, instance: String, configuration: HeraldConfiguration, runtime: RuntimeDirectory,
        listeners: [String: CInt], group: MultiThreadedEventLoopGroup, logger: Logger
    ) {
        self.stage = stage
        self.instance = instance
        self.configuration = configuration
        self.runtime = runtime
        self.listeners = listeners
        self.group = group
        self.logger = logger
    }

    public var hello: Hello { Hello(stage: stage.rawValue, instance: instance, version: WireProtocol.version) }

    public func listener(_ name: String) -> CInt {
        guard let fd = listeners[name] else {
            preconditionFailure("\(stage.executable) asked for socket '\(name)', which Stage.allSockets does not list")
        }
        return fd
    }
}
