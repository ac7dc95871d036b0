import HeraldAuthorizer
import HeraldDaemonKit

await Daemon.main(stage: .authorizer) { try await AuthorizerService.start($0) }
