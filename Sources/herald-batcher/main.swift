import HeraldBatcher
import HeraldDaemonKit

await Daemon.main(stage: .batcher) { try await BatcherService.start($0) }
