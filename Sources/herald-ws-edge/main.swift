import HeraldDaemonKit
import HeraldEdge
import HeraldNativeProtocol
import HeraldPusher
import HeraldSocketIO

await Daemon.main(stage: .wsEdge) {
    try await EdgeService.start($0, protocols: [NativeProtocol(), SocketIOProtocol(), PusherProtocol()])
}
