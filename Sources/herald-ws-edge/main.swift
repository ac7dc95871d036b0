import HeraldDaemonKit
import HeraldEdge

await Daemon.main(stage: .wsEdge) { try await EdgeService.start($0) }
