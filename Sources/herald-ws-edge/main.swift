import HeraldDaemonKit
import HeraldEdge
import HeraldNativeProtocol

await Daemon.main(stage: .wsEdge) { try await EdgeService.start($0, protocols: [NativeProtocol()]) }
