import HeraldDaemonKit
import HeraldEdge
import HeraldNativeProtocol
import HeraldPusher

await Daemon.main(stage: .wsEdge) { try await EdgeService.start($0, protocols: [NativeProtocol(), PusherProtocol()]) }
