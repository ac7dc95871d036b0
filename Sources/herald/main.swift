import HeraldDaemonKit

await HeraldCommand.runAsRoot()
