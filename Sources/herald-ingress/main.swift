import HeraldDaemonKit
import HeraldIngress

await Daemon.main(stage: .ingress) { try await IngressService.start($0) }
